// Insights → Trends: series (event and math), breakdown, date range and interval; the answer of
// the query API as a line chart and a table. The query lives in the URL (trends_query.ts).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { LineChart } from '../components/line_chart';
import { navigate, useLocation } from '../router';
import { useActions } from './actions';
import { saveInsight } from './insights';
import {
  DATE_RANGES, INTERVALS, MATHS, MathType, queryFromUrl, SeriesNode, TrendsQuery, TrendsResult,
  urlForQuery,
} from '../trends_query';

interface Definition { name: string }

// Names from a definitions list endpoint, loaded once per project.
function useDefinitions(path: string): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    api<Page<Definition>>('GET', path)
      .then((page) => setNames(page.results.map((d) => d.name)))
      .catch(() => setNames([]));
  }, [path]);
  return names;
}

type Answer = { state: 'loading' } | { state: 'error'; message: string }
  | { state: 'done'; results: TrendsResult[] };

// The answer to `query`; 'loading' until the answer to this very query has arrived, so what is
// shown never belongs to an earlier query.
function useTrends(project: Project, query: TrendsQuery): Answer {
  const key = JSON.stringify(query);
  const [answer, setAnswer] = useState<{ key: string; answer: Answer }>({
    key: '', answer: { state: 'loading' } });
  useEffect(() => {
    let current = true;
    api<{ results: TrendsResult[] }>('POST', `/api/projects/${project.id}/query/`, { query })
      .then((body) => current && setAnswer({ key, answer: { state: 'done',
                                                           results: body.results ?? [] } }))
      .catch((e) => current && setAnswer({ key, answer: { state: 'error', message: e.message } }));
    return () => {
      current = false;
    };
  }, [project.id, key]);
  return answer.key === key ? answer.answer : { state: 'loading' };
}

function Select(props: { label: string; value: string; testid: string;
                         options: { value: string; label: string }[];
                         onChange: (value: string) => void }) {
  return (
    <label class="control">
      <span>{props.label}</span>
      <select value={props.value} data-testid={props.testid}
              onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

const ALL_EVENTS = '__all__';
const ACTION_PREFIX = 'action:';

// The picker's value for a series: its event, all events, or its action.
function seriesValue(node: SeriesNode): string {
  if (node.kind === 'ActionsNode') return `${ACTION_PREFIX}${node.id}`;
  return node.event ?? ALL_EVENTS;
}

export function TrendsPage({ project }: { project: Project }) {
  const location = useLocation();
  const query = queryFromUrl(location);
  const events = useDefinitions(`/api/projects/${project.id}/event_definitions/?limit=1000`);
  const properties = useDefinitions(
    `/api/projects/${project.id}/property_definitions/?type=event&limit=1000`);
  const answer = useTrends(project, query);
  const update = (change: (q: TrendsQuery) => void) => {
    const next: TrendsQuery = JSON.parse(JSON.stringify(query));
    change(next);
    navigate(urlForQuery(next));
  };

  const actions = useActions(project);
  const eventOptions = [{ value: ALL_EVENTS, label: 'All events' },
                        ...events.map((name) => ({ value: name, label: name })),
                        ...actions.map((action) => ({ value: `${ACTION_PREFIX}${action.id}`,
                                                      label: `Action: ${action.name}` }))];
  for (const node of query.series) {
    const value = seriesValue(node);
    if (value !== ALL_EVENTS && !eventOptions.some((o) => o.value === value)) {
      eventOptions.push({ value, label: node.name ?? value });
    }
  }

  return (
    <section class="page">
      <h1>Trends</h1>
      <div class="editor">
        <fieldset class="series">
          <legend>Series</legend>
          {query.series.map((node, i) => (
            <div class="series-row" key={i} data-testid={`series-${i}`}>
              <span class="series-letter">{String.fromCharCode(65 + i)}</span>
              <Select label="Event" testid={`series-${i}-event`}
                      value={seriesValue(node)} options={eventOptions}
                      onChange={(value) => update((q) => {
                        const math = q.series[i].math;
                        if (value.startsWith(ACTION_PREFIX)) {
                          const id = Number(value.slice(ACTION_PREFIX.length));
                          const name = actions.find((a) => a.id === id)?.name ?? `Action ${id}`;
                          q.series[i] = { kind: 'ActionsNode', id, name, math };
                        } else {
                          const event = value === ALL_EVENTS ? null : value;
                          q.series[i] = { kind: 'EventsNode', event, name: event ?? 'All events',
                                          math };
                        }
                      })} />
              <Select label="Math" testid={`series-${i}-math`} value={node.math}
                      options={MATHS}
                      onChange={(value) => update((q) => {
                        q.series[i].math = value as MathType;
                      })} />
              {query.series.length > 1 && (
                <button type="button" class="link" onClick={() => update((q) => {
                  q.series.splice(i, 1);
                })}>Remove</button>
              )}
            </div>
          ))}
          {query.series.length < 10 && (
            <button type="button" class="link" data-testid="add-series" onClick={() => update((q) => {
              q.series.push({ kind: 'EventsNode', event: null, name: 'All events', math: 'total' });
            })}>+ Add series</button>
          )}
        </fieldset>
        <div class="controls">
          <Select label="Breakdown by" testid="breakdown"
                  value={query.breakdownFilter?.breakdown ?? ''}
                  options={[{ value: '', label: 'No breakdown' },
                            ...properties.map((name) => ({ value: name, label: name }))]}
                  onChange={(value) => update((q) => {
                    if (value) q.breakdownFilter = { breakdown: value, breakdown_type: 'event' };
                    else delete q.breakdownFilter;
                  })} />
          <Select label="Date range" testid="date-range" value={query.dateRange.date_from}
                  options={DATE_RANGES.some((r) => r.value === query.dateRange.date_from)
                    ? DATE_RANGES
                    : [...DATE_RANGES, { value: query.dateRange.date_from,
                                         label: query.dateRange.date_from }]}
                  onChange={(value) => update((q) => {
                    q.dateRange = { date_from: value };
                  })} />
          <Select label="Interval" testid="interval" value={query.interval}
                  options={INTERVALS.map((i) => ({ value: i, label: i }))}
                  onChange={(value) => update((q) => {
                    q.interval = value as TrendsQuery['interval'];
                  })} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="trends-loading">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <TrendsAnswer results={answer.results} queryKey={JSON.stringify(query)} />
      )}
    </section>
  );
}

// The chart and table of one answer; data-query names the query it answers.
function TrendsAnswer({ results, queryKey }: { results: TrendsResult[]; queryKey: string }) {
  if (results.length === 0) {
    return <p class="muted" data-testid="trends-empty" data-query={queryKey}>No events in this range.</p>;
  }
  const labels = results[0].labels;
  return (
    <div data-testid="trends-answer" data-query={queryKey}>
      <LineChart results={results} />
      <div class="table-scroll">
        <table data-testid="trends-table">
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Total</th>
              {labels.map((label) => <th scope="col" key={label}>{label}</th>)}
            </tr>
          </thead>
          <tbody>
            {results.map((result, i) => (
              <tr key={i} data-testid="trends-row">
                <th scope="row">{result.label}</th>
                <td data-testid="trends-total">{result.count}</td>
                {result.data.map((value, j) => <td key={j} data-testid="trends-value">{value}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// Saves the query on the page as a named insight (Saved insights lists it).
function SaveInsight({ project, query }: { project: Project; query: TrendsQuery }) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState('');
  const key = JSON.stringify(query);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    try {
      await saveInsight(project, name, query);
      setSaved({ name, key });
      setName('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="controls save" data-testid="save-insight" onSubmit={submit}>
      <input name="insight_name" required placeholder="Name this insight" value={name}
             aria-label="Insight name"
             onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <button type="submit">Save</button>
      {saved?.key === key && (
        <span data-testid="insight-saved">Saved as “{saved.name}”: <a href="/saved_insights">
          Saved insights</a></span>
      )}
      {error && <span class="error" role="alert">{error}</span>}
    </form>
  );
}
