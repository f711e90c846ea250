// Saved insights and dashboards (docs/insights.md): the list of saved insights, each opening in
// its editor and placed on dashboards; the dashboards list; an insight tile's result drawn as its
// editor draws it (a dashboard's page, its grid and filters: pages/dashboard.tsx).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { SqlChartView } from '../components/sql_chart';
import { FunnelAnswer, funnelAnswerEmpty } from '../components/funnel_answer';
import { LifecycleChart } from '../components/lifecycle_chart';
import { LineChart } from '../components/line_chart';
import { TrendsAnswer } from '../components/trends_answer';
import { RetentionTable } from '../components/retention_table';
import { Sankey } from '../components/sankey';
import { FunnelsQuery, tidyFunnel, urlForFunnel } from '../funnels_query';
import {
  LifecycleQuery, LifecycleResult, shownStatuses, urlForLifecycle,
} from '../lifecycle_query';
import { pathEdges, PathsQuery, urlForPaths } from '../paths_query';
import {
  RetentionCohort, retentionFromJson, RetentionQuery, urlForRetention,
} from '../retention_query';
import { sqlChartFromRaw, sqlUrl } from '../sql_chart';
import { StickinessQuery, urlForStickiness } from '../stickiness_query';
import {
  displayOf, isLineHidden, lineColors, TrendsQuery, TrendsResult, urlForQuery, withLineLabels,
} from '../trends_query';

// The queries the editors build and save.
export type InsightQuery = TrendsQuery | FunnelsQuery | RetentionQuery | PathsQuery
  | StickinessQuery | LifecycleQuery | HogQLQuery;

// A SQL insight's query; saved in a DataVisualizationNode (PostHog's node for SQL insights).
export interface HogQLQuery { kind: 'HogQLQuery'; query: string }

export interface Insight {
  id: number;
  short_id: string;
  name: string | null;
  derived_name: string | null;
  description?: string | null;
  query: { kind: string; source?: InsightQuery } | null;
  dashboards: number[];
  result?: unknown;
  columns?: string[] | null;
  last_refresh?: string | null;
}

export interface Dashboard {
  id: number;
  name: string;
  description?: string;
  tiles?: { id: number; insight: Insight | null; text: { body: string } | null }[];
}

// Saves `query` as a new insight named `name` (PostHog's shape: the query in an InsightVizNode,
// or a DataVisualizationNode for SQL), `node`'s fields beside it.
export function saveInsight(project: Project, name: string, query: InsightQuery,
                            node: object = {}): Promise<Insight> {
  const kind = query.kind === 'HogQLQuery' ? 'DataVisualizationNode' : 'InsightVizNode';
  return api<Insight>('POST', `/api/projects/${project.id}/insights/`, {
    name, saved: true, query: { kind, source: query, ...node },
  });
}

function insightName(insight: Insight): string {
  return insight.name || insight.derived_name || insight.short_id;
}

// Where an insight opens: its editor with its query in the URL.
function editorUrl(insight: Insight): string | null {
  const sql = insight.query?.kind === 'DataVisualizationNode' ? insight.query.source : null;
  if (sql?.kind === 'HogQLQuery') return sqlUrl(sql.query, sqlChartFromRaw(insight.query));
  const source = insight.query?.kind === 'InsightVizNode' ? insight.query.source : null;
  if (source?.kind === 'TrendsQuery') return urlForQuery(source);
  if (source?.kind === 'FunnelsQuery') return urlForFunnel(source);
  if (source?.kind === 'RetentionQuery') return urlForRetention(source);
  if (source?.kind === 'StickinessQuery') return urlForStickiness(source);
  if (source?.kind === 'LifecycleQuery') return urlForLifecycle(source);
  if (source?.kind === 'PathsQuery') return urlForPaths(source);
  return null;
}

function useList<T>(path: string, generation: number): T[] | null {
  const [items, setItems] = useState<T[] | null>(null);
  useEffect(() => {
    api<Page<T>>('GET', path).then((page) => setItems(page.results)).catch(() => setItems([]));
  }, [path, generation]);
  return items;
}

// An insight's name and description, edited in place (PATCH {name, description}).
function InsightDetailsForm({ insight, onSave, onCancel }: {
  insight: Insight; onSave: (body: { name: string; description: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(insight.name ?? '');
  const [description, setDescription] = useState(insight.description ?? '');
  return (
    <form class="controls" data-testid="insight-details-form"
          onSubmit={(e) => {
            e.preventDefault();
            onSave({ name: name.trim(), description: description.trim() });
          }}>
      <label class="control"><span>Name</span>
        <input name="insight_name" required value={name}
               onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>Description</span>
        <input name="insight_description" value={description}
               onInput={(e) => setDescription((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Save</button>
      <button type="button" class="link" onClick={onCancel}>Cancel</button>
    </form>
  );
}

export function InsightsPage({ project }: { project: Project }) {
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  const insights = useList<Insight>(`/api/projects/${project.id}/insights/?saved=true&limit=100`,
                                    generation);
  const dashboards = useList<Dashboard>(`/api/projects/${project.id}/dashboards/?limit=100`,
                                        generation);
  const change = async (insight: Insight, body: object) => {
    setError('');
    try {
      await api('PATCH', `/api/projects/${project.id}/insights/${insight.id}/`, body);
      setEditing(null);
      setGeneration((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // A copy named "<name> (copy)", as PostHog duplicates, on no dashboard.
  const duplicate = async (insight: Insight) => {
    setError('');
    try {
      await api('POST', `/api/projects/${project.id}/insights/`, {
        name: `${insightName(insight)} (copy)`, description: insight.description ?? '',
        query: insight.query, saved: true,
      });
      setGeneration((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page">
      <h1>Saved insights</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {insights === null && <p class="muted">Loading…</p>}
      {insights !== null && insights.length === 0 && (
        <p class="muted">No saved insights yet: save one from Trends.</p>
      )}
      {insights !== null && insights.length > 0 && (
        <div class="table-scroll">
          <table data-testid="insights-table" class="data">
            <thead><tr><th scope="col">Name</th><th scope="col">Dashboards</th>
              <th scope="col">Add to dashboard</th><th scope="col" /></tr></thead>
            <tbody>
              {insights.map((insight) => {
                const url = editorUrl(insight);
                const others = (dashboards ?? []).filter((d) => !insight.dashboards.includes(d.id));
                if (editing === insight.id) {
                  return (
                    <tr key={insight.id} data-testid="insight-row" data-short-id={insight.short_id}>
                      <td colSpan={4}>
                        <InsightDetailsForm insight={insight} onCancel={() => setEditing(null)}
                                            onSave={(body) => change(insight, body)} />
                      </td>
                    </tr>
                  );
                }
                return (
                  <tr key={insight.id} data-testid="insight-row" data-short-id={insight.short_id}>
                    <td>
                      {url ? <a href={url}>{insightName(insight)}</a> : insightName(insight)}
                      {insight.description && (
                        <p class="muted" data-testid="insight-description">{insight.description}</p>
                      )}
                    </td>
                    <td>{(dashboards ?? []).filter((d) => insight.dashboards.includes(d.id))
                      .map((d) => d.name).join(', ')}</td>
                    <td>
                      <select data-testid="insight-add-to-dashboard" aria-label="Add to dashboard"
                              value="" disabled={others.length === 0}
                              onChange={(e) => {
                                const id = Number((e.target as HTMLSelectElement).value);
                                if (id) change(insight, { dashboards: [...insight.dashboards, id] });
                              }}>
                        <option value="">Choose…</option>
                        {others.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
                      </select>
                    </td>
                    <td class="row-actions">
                      <button type="button" class="link" data-testid="insight-edit"
                              onClick={() => setEditing(insight.id)}>Edit</button>
                      <button type="button" class="link" data-testid="insight-duplicate"
                              onClick={() => duplicate(insight)}>Duplicate</button>
                      <button type="button" class="link" data-testid="insight-delete"
                              onClick={() => change(insight, { deleted: true })}>Delete</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DashboardsPage({ project }: { project: Project }) {
  const [generation, setGeneration] = useState(0);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const dashboards = useList<Dashboard>(`/api/projects/${project.id}/dashboards/?limit=100`,
                                        generation);
  const create = async (event: Event) => {
    event.preventDefault();
    setError('');
    try {
      await api('POST', `/api/projects/${project.id}/dashboards/`, { name });
      setName('');
      setGeneration((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page">
      <h1>Dashboards</h1>
      <form class="controls" data-testid="dashboard-form" onSubmit={create}>
        <input name="name" required placeholder="New dashboard's name" value={name}
               aria-label="Dashboard name"
               onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit">Create dashboard</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {dashboards !== null && dashboards.length === 0 && <p class="muted">No dashboards yet.</p>}
      <ul class="cards">
        {(dashboards ?? []).map((d) => (
          <li key={d.id} data-testid="dashboard-row">
            <a href={`/dashboards/${d.id}`}>{d.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

// An insight tile's content: its name (linking to its editor), when it was computed, its result.
export function InsightTile({ insight }: { insight: Insight }) {
  const url = editorUrl(insight);
  return (
    <div data-testid="insight-tile" data-short-id={insight.short_id}>
      <h2>{url ? <a href={url}>{insightName(insight)}</a> : insightName(insight)}</h2>
      {insight.last_refresh && (
        <p class="muted" title={insight.last_refresh}>
          Computed {new Date(insight.last_refresh).toLocaleString()}</p>
      )}
      <InsightResult node={insight.query} result={insight.result} columns={insight.columns} />
    </div>
  );
}

// A saved insight's result as its editor draws it.
function InsightResult({ node, result, columns }: {
  node: Insight['query']; result: unknown; columns?: string[] | null;
}) {
  const source = node?.source;
  const kind = source?.kind;
  if (kind === 'HogQLQuery') {
    return Array.isArray(result) && columns
      ? <SqlChartView chart={sqlChartFromRaw(node)} columns={columns} rows={result as unknown[][]}
                      tableTestid="insight-sql-table" />
      : <p class="muted">No result.</p>;
  }
  if (kind === 'RetentionQuery') {
    const filter = retentionFromJson(source).retentionFilter;
    const cohorts = Array.isArray(result) ? result as RetentionCohort[] : [];
    return cohorts.length > 0
      ? <RetentionTable cohorts={cohorts} period={filter.period}
                        reference={filter.retentionReference} />
      : <p class="muted">No result.</p>;
  }
  if (kind === 'LifecycleQuery') {
    const statuses = Array.isArray(result) ? result as LifecycleResult[] : [];
    return statuses.length > 0
      ? <LifecycleChart results={statuses} shown={shownStatuses(source as LifecycleQuery)} />
      : <p class="muted">No result.</p>;
  }
  if (kind === 'FunnelsQuery') {
    const viz = tidyFunnel(source).funnelsFilter.funnelVizType;
    return !funnelAnswerEmpty(viz, result) ? <FunnelAnswer viz={viz} results={result} />
      : <p class="muted">No result.</p>;
  }
  if (kind === 'PathsQuery') {
    const edges = pathEdges(result);
    return edges.length > 0 ? <Sankey edges={edges} /> : <p class="muted">No result.</p>;
  }
  const results = Array.isArray(result) ? result as TrendsResult[] : null;
  if (!results || results.length === 0 || !results[0].labels) {
    return <p class="muted">No result.</p>;
  }
  const drawn = source as { trendsFilter?: unknown } | undefined;
  const lines = withLineLabels(results);
  // Trends in its display (a number, a pie, a table…); stickiness as lines.
  return kind === 'TrendsQuery'
    ? <TrendsAnswer results={lines} queryKey={JSON.stringify(source)}
                    display={displayOf(source as TrendsQuery)} markers={[]} onPoint={undefined} tile
                    hidden={results.map((r) => isLineHidden(drawn, r))}
                    colors={lineColors(drawn, results)} />
    : <LineChart results={lines} hidden={results.map((r) => isLineHidden(drawn, r))}
                 colors={lineColors(drawn, results)} />;
}
