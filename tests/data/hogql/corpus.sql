-- The HogQL differential corpus: every entry is parsed by Hoglet's parser and by PostHog's own
-- (@posthog/hogql-parser), which must agree (tests/sdk/hogql_parser_corpus.test.mjs).
--
-- An entry starts with a header line and runs to the next one:
--   -- @select                  a SELECT both parsers accept
--   -- @expr                    an expression both parsers accept
--   -- @select error            refused by both (likewise @expr error)
--   -- @select hoglet-refuses: <why>   PostHog accepts it, Hoglet refuses it on purpose
-- Everything before the first header is this description.

-- @select
select properties.$current_url, count() from events where event = '$pageview' group by 1 order by 2 desc limit 10
-- @select
SELECT event, count() AS c FROM events WHERE timestamp > now() - INTERVAL 7 DAY GROUP BY event ORDER BY c DESC LIMIT 100
-- @select
SELECT toStartOfDay(timestamp) AS day, count(DISTINCT person_id) AS dau
FROM events
WHERE event = '$pageview' AND timestamp >= toStartOfDay(now() - INTERVAL 7 DAY)
GROUP BY day
ORDER BY day
-- @select
SELECT properties.$browser AS browser, uniq(distinct_id) FROM events WHERE event = '$pageview' GROUP BY browser ORDER BY 2 DESC LIMIT 10
-- @select
SELECT person.properties.email, count() FROM events GROUP BY person.properties.email
-- @select
select events.event, events.timestamp from events where events.properties['$browser'] = 'Chrome' limit 5
-- @select
SELECT * FROM events LIMIT 10
-- @select
SELECT e.*, p.id FROM events e LEFT JOIN persons p ON e.person_id = p.id LIMIT 100
-- @select
select count() from events where properties.$os in ('Mac OS X', 'Windows') and properties.$browser not in ('Safari')
-- @select
SELECT quantile(0.9)(toFloat(properties.$session_duration)) FROM events
-- @select
SELECT quantiles(0.5, 0.9, 0.99)(toFloat(properties.duration)) AS qs FROM events WHERE event = 'load'
-- @select
SELECT countIf(event = 'signup') / count() AS rate FROM events
-- @select
SELECT sumIf(toFloat(properties.revenue), event = 'purchase'), avgIf(toFloat(properties.revenue), event = 'purchase') FROM events
-- @select
SELECT argMax(properties.$current_url, timestamp), min(timestamp), max(timestamp) FROM events GROUP BY distinct_id
-- @select
SELECT groupArray(event) FROM (SELECT event FROM events ORDER BY timestamp LIMIT 5)
-- @select
SELECT arrayJoin(['a', 'b', 'c']) AS letter
-- @select
SELECT arrayMap(x -> x * 2, [1, 2, 3]), arrayFilter(x -> x > 1, [1, 2, 3])
-- @select
SELECT arrayMap((x, y) -> x + y, [1, 2], [3, 4])
-- @select
SELECT arrayMap(x, y -> concat(x, y), ['a'], ['b'])
-- @select
SELECT arrayReduce('sum', [1, 2, 3]), arraySort(x -> -x, [3, 1, 2])
-- @select
SELECT multiIf(properties.$browser = 'Chrome', 'chrome', properties.$browser = 'Firefox', 'firefox', 'other') AS b, count() FROM events GROUP BY b
-- @select
SELECT if(properties.$os = 'iOS', 'mobile', 'desktop') FROM events
-- @select
SELECT coalesce(properties.utm_source, properties.$referring_domain, '$direct') AS source FROM events
-- @select
SELECT dateDiff('second', min(timestamp), max(timestamp)) AS duration FROM events GROUP BY properties.$session_id
-- @select
SELECT toStartOfWeek(timestamp, 0), toStartOfMonth(timestamp), toYYYYMM(timestamp), toDayOfWeek(timestamp), toHour(timestamp) FROM events
-- @select
SELECT formatDateTime(timestamp, '%Y-%m-%d'), toUnixTimestamp(timestamp), toTimeZone(timestamp, 'Europe/Berlin') FROM events
-- @select
SELECT JSONExtractString(properties, 'email'), JSONExtractInt(properties, 'n'), JSONExtractRaw(properties, 'x') FROM events
-- @select
SELECT lower(properties.email) LIKE '%@posthog.com' FROM events
-- @select
SELECT count() FROM events WHERE properties.$current_url ILIKE '%/pricing%' AND properties.$current_url NOT ILIKE '%?debug%'
-- @select
SELECT count() FROM events WHERE properties.email NOT LIKE '%test%'
-- @select
SELECT count() FROM events WHERE properties.$current_url =~ '^https://app\\.' AND properties.$host !~ 'localhost'
-- @select
SELECT count() FROM events WHERE properties.name =~* 'bob' OR properties.name !~* 'alice'
-- @select
SELECT count() FROM events WHERE properties.name ~ 'x' OR properties.name ~* 'y'
-- @select
SELECT count() FROM events WHERE person_id IN COHORT 5
-- @select
SELECT count() FROM events WHERE person_id NOT IN COHORT 'Power users'
-- @select
SELECT count() FROM events WHERE person_id IN (SELECT id FROM persons WHERE properties.email LIKE '%@acme.com')
-- @select
SELECT count() FROM events WHERE timestamp BETWEEN '2024-01-01' AND '2024-02-01'
-- @select
SELECT count() FROM events WHERE event = 'x' AND timestamp NOT BETWEEN now() - INTERVAL 1 DAY AND now()
-- @select
SELECT count() FROM events WHERE properties.$browser IS NULL OR properties.$os IS NOT NULL
-- @select
SELECT CASE WHEN properties.plan = 'pro' THEN 1 WHEN properties.plan = 'team' THEN 2 ELSE 0 END AS tier FROM events
-- @select
SELECT CASE properties.plan WHEN 'pro' THEN 1 WHEN 'team' THEN 2 ELSE 0 END FROM events
-- @select
SELECT CASE WHEN event = 'a' THEN 'A' END FROM events
-- @select
SELECT event = '$pageview' ? 'view' : 'other' AS kind FROM events
-- @select
SELECT properties.$screen_width ?? 0 FROM events
-- @select
SELECT properties.utm_source || '/' || properties.utm_medium AS channel FROM events
-- @select
SELECT -toFloat(properties.amount), - 1, -1.5, +2 FROM events
-- @select
SELECT 1 + 2 * 3 - 4 / 2 % 3
-- @select
SELECT (1 + 2) * 3, 1 - (2 - 3), 1 - 2 - 3
-- @select
SELECT 0x1F, 0b101, 1e3, 1.5e-3, .5, 1., 0777, 18446744073709551615, 0x8000000000000000
-- @select
SELECT inf, -inf, nan, true, false, null, TRUE, False, NULL
-- @select
SELECT 'it''s', 'a\'b', 'tab\tnew\nline', 'back\\slash', '\x41'
-- @select
SELECT `weird column`, "double quoted", events.`$browser` FROM events
-- @select
SELECT properties.`$feature/flag-name` FROM events
-- @select
SELECT properties['$browser'], properties['a']['b'], properties.a.b.c FROM events
-- @select
SELECT tuple(1, 2).1, (1, 'a').2, [1, 2, 3][1], arr[1:2] FROM events
-- @select
SELECT properties.$set.email, properties.arr.1 FROM events
-- @select
SELECT x?.y, x?.[1], x?.1 FROM t
-- @select
SELECT toString(event)::Int, CAST(properties.n AS Float64), CAST(x AS Nullable(String)), CAST(y AS Decimal(10, 2)) FROM events
-- @select
SELECT TRY_CAST(properties.n AS Int64), x::DateTime WITH TIME ZONE FROM events
-- @select
SELECT INTERVAL 1 DAY, INTERVAL 2 week, INTERVAL '3 hours', INTERVAL '1 day', INTERVAL x + 1 MONTH, INTERVAL -1 YEAR
-- @select
SELECT now() - INTERVAL 30 MINUTE, today() - INTERVAL '7 day', toStartOfInterval(timestamp, INTERVAL 5 MINUTE) FROM events
-- @select
SELECT row_number() OVER (PARTITION BY distinct_id ORDER BY timestamp) FROM events
-- @select
SELECT sum(1) OVER (ORDER BY timestamp ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM events
-- @select
SELECT lagInFrame(timestamp) OVER (PARTITION BY person_id ORDER BY timestamp ASC ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM events
-- @select
SELECT avg(x) OVER w, max(x) OVER w FROM t WINDOW w AS (PARTITION BY y ORDER BY z DESC RANGE UNBOUNDED PRECEDING)
-- @select
SELECT sum(x) OVER (PARTITION BY a, b) FROM t WINDOW w1 AS (ORDER BY x), w2 AS (PARTITION BY y)
-- @select
SELECT count(DISTINCT person_id), uniqExact(person_id), count(*), count() FROM events
-- @select
SELECT sum(x) FILTER (WHERE y > 1) FROM t
-- @select
SELECT groupArray(event ORDER BY timestamp DESC) FROM events
-- @select
SELECT quantile(0.5) WITHIN GROUP (ORDER BY x) FROM t
-- @select
SELECT {filters}, {variables.date_from} FROM events WHERE {where}
-- @select
SELECT count() FROM {table}
-- @select
SELECT #1, #2 FROM events
-- @select
SELECT a: 1, b: event FROM events
-- @select
SELECT 1 x, event e, timestamp AS `time` FROM events
-- @select
SELECT 1 AS 'one', 2 AS "two"
-- @select
SELECT DISTINCT event FROM events
-- @select
SELECT event FROM events PREWHERE timestamp > now() - INTERVAL 1 DAY WHERE event != '$feature_flag_called'
-- @select
SELECT event, count() FROM events GROUP BY event HAVING count() > 10
-- @select
SELECT event FROM events QUALIFY row_number() OVER (PARTITION BY event ORDER BY timestamp) = 1
-- @select
SELECT event FROM events ORDER BY timestamp DESC NULLS LAST, event ASC NULLS FIRST LIMIT 10
-- @select
SELECT event FROM events LIMIT 10 OFFSET 20
-- @select
SELECT event FROM events LIMIT 10, 20
-- @select
SELECT event FROM events OFFSET 5
-- @select
SELECT event FROM events LIMIT 10 WITH TIES
-- @select
SELECT event, distinct_id FROM events ORDER BY timestamp LIMIT 1 BY distinct_id LIMIT 100
-- @select
SELECT event FROM events LIMIT 2 OFFSET 1 BY distinct_id
-- @select
SELECT event FROM events LIMIT 1, 2 BY distinct_id
-- @select
SELECT count() FROM events GROUP BY ALL
-- @select
SELECT event, count() FROM events GROUP BY ROLLUP(event)
-- @select
SELECT event, count() FROM events GROUP BY CUBE(event, distinct_id)
-- @select
WITH pageviews AS (SELECT * FROM events WHERE event = '$pageview') SELECT count() FROM pageviews
-- @select
WITH a AS (SELECT 1 AS x), b AS (SELECT 2 AS y) SELECT * FROM a CROSS JOIN b
-- @select
WITH 10 AS threshold, now() - INTERVAL 1 DAY AS since SELECT count() FROM events WHERE timestamp > since HAVING count() > threshold
-- @select
WITH RECURSIVE r AS (SELECT 1 AS n) SELECT n FROM r
-- @select
WITH t (a, b) AS (SELECT 1, 2) SELECT a + b FROM t
-- @select
WITH t AS MATERIALIZED (SELECT 1) SELECT * FROM t
-- @select
SELECT 1 UNION ALL SELECT 2
-- @select
SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
-- @select
SELECT 1 UNION DISTINCT SELECT 2
-- @select
SELECT 1 UNION SELECT 2
-- @select
SELECT 1 INTERSECT SELECT 2
-- @select
SELECT 1 EXCEPT SELECT 2
-- @select
SELECT 1 EXCEPT ALL SELECT 2 INTERSECT ALL SELECT 3
-- @select
(SELECT 1) UNION ALL (SELECT 2)
-- @select
(SELECT 1 UNION ALL SELECT 2) UNION ALL SELECT 3
-- @select
SELECT * FROM (SELECT 1 UNION ALL SELECT 2)
-- @select
(SELECT event FROM events) UNION ALL (SELECT event FROM events) ORDER BY 1 LIMIT 5
-- @select
SELECT 1;
-- @select
SELECT e.event, p.properties.email FROM events AS e INNER JOIN persons AS p ON e.person_id = p.id
-- @select
SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x RIGHT JOIN c ON b.y = c.y FULL OUTER JOIN d ON c.z = d.z
-- @select
SELECT * FROM a ANY LEFT JOIN b ON a.x = b.x
-- @select
SELECT * FROM a LEFT ANY JOIN b ON a.x = b.x
-- @select
SELECT * FROM a INNER ANY JOIN b ON a.x = b.x
-- @select
SELECT * FROM a ASOF LEFT JOIN b ON a.x = b.x AND a.t >= b.t
-- @select
SELECT * FROM a LEFT SEMI JOIN b ON a.x = b.x
-- @select
SELECT * FROM a JOIN b USING (x, y)
-- @select
SELECT * FROM a JOIN b USING x
-- @select
SELECT * FROM a, b, c
-- @select
SELECT * FROM a JOIN b ON a.id = b.id JOIN c ON c.id = b.id
-- @select
SELECT * FROM (SELECT 1 AS x) AS s
-- @select
SELECT * FROM (SELECT 1 AS x) s JOIN (SELECT 1 AS x) t ON s.x = t.x
-- @select
SELECT number FROM numbers(10)
-- @select
SELECT * FROM events FINAL
-- @select
SELECT * FROM events SAMPLE 1/10
-- @select
SELECT * FROM events SAMPLE 0.1 OFFSET 1/2
-- @select
SELECT * FROM events e SAMPLE 1/10
-- @select
SELECT * FROM db.events
-- @select
SELECT 1 FROM events ARRAY JOIN properties.arr AS item
-- @select
SELECT item FROM events LEFT ARRAY JOIN [1, 2] AS item, [3, 4] AS other
-- @select
SELECT event, count() FROM events WHERE timestamp > now() - INTERVAL 1 DAY GROUP BY event ORDER BY count() DESC LIMIT 10
-- @select
SELECT date, left(event, 3), right(event, 2), key, id, name, first, last, step, fill FROM t
-- @select
SELECT not(a), if(a, b, c), and(a, b), or(a, b), interval(1), trim(x) FROM t
-- @select
SELECT TRIM(LEADING 'x' FROM name), TRIM(TRAILING 'x' FROM name), TRIM(BOTH ' ' FROM name) FROM t
-- @select
SELECT {'a': 1, 'b': [2]}, {} FROM t
-- @select
SELECT lambda x: x + 1, f(named := 1) FROM t
-- @select
SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM t
-- @select
SELECT (x -> x + 1)(2)
-- @select
SELECT $, cast(x), `cast`(y) FROM t
-- @select
SELECT a, b, FROM t
-- @select
SELECT
  -- a comment
  1 /* block */ + 2 // another
  # and another
-- @select
SELECT toDate('2024-01-01') + 1, today() - toDate(timestamp) FROM events
-- @select
SELECT sparkline(groupArray(x)) FROM t
-- @select
SELECT matchesAction('Signed up') FROM events
-- @select
SELECT windowFunnel(86400)(timestamp, event = 'a', event = 'b') AS level, person_id FROM events GROUP BY person_id
-- @select
SELECT retention(event = 'signup', event = 'login') FROM events GROUP BY person_id
-- @select
SELECT person_id, groupArray(tuple(timestamp, event)) AS path FROM events GROUP BY person_id HAVING length(path) > 1
-- @select
SELECT session.$session_duration, session.$entry_current_url FROM events
-- @select
SELECT count() FROM persons WHERE is_identified AND properties.email IS NOT NULL
-- @select
SELECT pdi.person.properties.email FROM events
-- @select
SELECT hogql_lookupDomainType(properties.$referring_domain) FROM events
-- @select
SELECT replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'foo'), ''), 'null'), '^"|"$', '') FROM events

-- Precedence.
-- @expr
a AND b OR c AND d
-- @expr
NOT a AND b
-- @expr
NOT a = b
-- @expr
NOT NOT a
-- @expr
a OR b BETWEEN 1 AND 2
-- @expr
NOT a BETWEEN 1 AND 2
-- @expr
a BETWEEN 1 AND 2 AND c
-- @expr
a ?? b BETWEEN 1 AND 2
-- @expr
a BETWEEN 1 AND 2 = 3
-- @expr
a = b IS NOT NULL
-- @expr
a ?? b = c
-- @expr
NOT a ?? b
-- @expr
a IS DISTINCT FROM b IS NULL
-- @expr
1 + not x = 2
-- @expr
a ? b : c ? d : e
-- @expr
a ? b : c AS d
-- @expr
a AS b AS c
-- @expr
(a AND b) AND c
-- @expr
a AND (b OR c)
-- @expr
(a || b) || c
-- @expr
concat(a, b) || c
-- @expr
a - -1
-- @expr
-a[1]
-- @expr
-2[1]
-- @expr
-x.1
-- @expr
1 + 2 IN (3)
-- @expr
a = b = c
-- @expr
a < b < c
-- @expr
a * b + c * d - e / f
-- @expr
a - (b - c)
-- @expr
a / (b * c)
-- @expr
f(x).y
-- @expr
a[1].b
-- @expr
a.1.b
-- @expr
a.b(1)
-- @expr
f(x)(y)(z)
-- @expr
interval (x + 1) month + interval (1)
-- @expr
a ? b ? c : d : e
-- @expr
x -> x > 1 AND x < 10
-- @expr
arrayExists(x -> x = 'a', arr) AND b
-- @expr
a IN (1, 2) OR b NOT IN (3)
-- @expr
(1,)
-- @expr
[1, 2,]
-- @expr
count(DISTINCT a, b)
-- @expr
f(1)(DISTINCT x)
-- @expr
sum(x) OVER w
-- @expr
`true`
-- @expr
events.true

-- Refused by both.
-- @select error
select
-- @select error
select from events
-- @select error
select 1 from
-- @select error
select (1
-- @select error
select 1 +
-- @select error
select * from events where
-- @select error
select * from events group by
-- @select error
select * from events order by
-- @select error
select 1 limit
-- @select error
select * from events where x = 1 where y = 2
-- @select error
select * from events limit 10 where x
-- @select error
select 1 2
-- @select error
select 'unterminated
-- @select error
select `unterminated
-- @select error
select /* unterminated
-- @select error
select 1 & 2
-- @select error
select 1 ! 2
-- @select error
select a <b and c
-- @select error
select x from t as 'tt'
-- @select error
select 1 from a left array join arr
-- @select error
select 1 from a array join arr
-- @select error
select 1 from a join b on 1, 2
-- @select error
select try from t
-- @select error
select except from t
-- @select error
select a.null from t
-- @select error
select 1 global in (1)
-- @select error
select 1 from events where x limit 1 percent
-- @select error
select interval '2 WEEKS'
-- @select error
select interval '1'
-- @select error
select interval '1.5 day'
-- @select error
select interval 1 days
-- @select error
select '\q'
-- @select error
select 0b12
-- @select error
select 0o17
-- @select error
select x::Array(Int)
-- @select error
select a + b as c * 2
-- @select error
select a as b + 1
-- @select error
select f(
-- @select error
select [1, 2
-- @select error
select {x
-- @select error
select case when 1 then 2
-- @select error
select cast(x AS)
-- @select error
select 1 union select
-- @select error
with x as (select 1)
-- @select error
select a.
-- @select error
select 1 settings max_threads = 1
-- @select error
update events set x = 1
-- @select error
delete from events
-- @select error
drop table events
-- @select error
insert into events values (1)
-- @select error
select 1; select 2
-- @select error
select * from events e, where 1
-- @select error
select count( from events
-- @select error
select * from (select 1
-- @select error
select + x
-- @expr error
()
-- @expr error
a b
-- @expr error
a ==
-- @expr error
a between 1
-- @expr error
a is
-- @expr error
DATE '2024-01-01'
-- @expr error
TIMESTAMP '2024-01-01 00:00:00'
-- @expr error
substring(x from 1 for 2)

-- Accepted by PostHog, refused by Hoglet.
-- @select hoglet-refuses: WITH TOTALS is dropped by PostHog's tree; Hoglet says so instead
select count() from events group by event with totals
-- @select hoglet-refuses: PIVOT is not supported
select * from events pivot (sum(x) for y in (1, 2))
-- @select hoglet-refuses: COLUMNS(…) is not supported
select columns('a.*') from t
-- @select hoglet-refuses: HogQLX tags are not supported
select <Sparkline data={[1, 2]} />
-- @select hoglet-refuses: template strings are not supported
select f'hello {event}' from events
-- @expr hoglet-refuses: Hog code blocks are not supported
x -> {return 1}
-- @expr hoglet-refuses: template strings are not supported
f'a{x}'
