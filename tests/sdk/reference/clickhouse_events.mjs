// The reference copy of the generated events in ClickHouse 18.16: one table shaped like
// PostHog's `events` with the person and group already resolved the way PostHog's
// `person_id_override_properties_joined` mode reads them (the person a distinct id belongs to
// after every merge, that person's properties now), and the SQL that reads a property the way
// HogQL reads it. 18.16 has no JSONExtract*: properties are flat JSON read with visitParam*.

export const EVENTS_TABLE = `
CREATE TABLE events (
  uuid String,
  event String,
  distinct_id String,
  timestamp DateTime('UTC'),
  team_id UInt32,
  properties String,
  person_id String,
  person_properties String,
  group_0 String,
  group_0_properties String
) ENGINE = MergeTree ORDER BY (team_id, timestamp)`;

export async function createEventsTable(clickhouse) {
  await clickhouse.execute(EVENTS_TABLE);
}

// rows: referenceRows() of the generator; team_id is the project's id at the server.
export async function loadEvents(clickhouse, teamId, rows) {
  const batch = 5000;
  for (let i = 0; i < rows.length; i += batch) {
    await clickhouse.insert('events', rows.slice(i, i + batch).map((r) => ({ ...r, team_id: teamId })));
  }
}

// A SQL string literal.
export function quote(text) {
  return `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

// A property as HogQL reads it: a Nullable(String) holding a string as itself and any other
// JSON value as its text; a missing key, JSON null and "" are NULL.
export function propertyText(column, key) {
  const raw = `visitParamExtractRaw(${column}, ${quote(key)})`;
  const text = `if(substring(${raw}, 1, 1) = '"', visitParamExtractString(${column}, ${quote(key)}), ${raw})`;
  return `nullIf(nullIf(${text}, ''), 'null')`;
}

// A property read as a number (HogQL's toFloat): NULL unless it is a number or a numeric string.
export function propertyNumber(column, key) {
  return `toFloat64OrNull(${propertyText(column, key)})`;
}

export const NULL_LABEL = '$$_posthog_breakdown_null_$$';
export const OTHER_LABEL = '$$_posthog_breakdown_other_$$';

// A breakdown value: missing, null and "" are the null label.
export function breakdownValue(column, key) {
  return `ifNull(${propertyText(column, key)}, ${quote(NULL_LABEL)})`;
}
