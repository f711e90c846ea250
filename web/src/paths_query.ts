// The Paths editor's state is a PathsQuery, kept whole in the page's URL (?q=<JSON>) as the Trends
// and Funnels editors keep theirs. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens. Also the answer's shape (step-numbered edges) and
// the actors query that lists the persons of a node or an edge. With a funnelPathsFilter the
// paths are those of the persons at one step of a funnel (its FunnelsQuery, the step, and
// whether the paths before, after or between steps): `funnelStep` k are those who reached step
// k, -k those who reached step k-1 and not step k (1-based).
import { FunnelsQuery, tidyFunnel } from './funnels_query';

export type PathEventType = '$pageview' | '$screen' | 'custom_event';

export const EVENT_TYPES: { value: PathEventType; label: string }[] = [
  { value: '$pageview', label: 'Page views' },
  { value: '$screen', label: 'Screen views' },
  { value: 'custom_event', label: 'Custom events' },
];
export const MAX_STEP_LIMIT = 20;
export const MAX_EDGE_LIMIT = 10000;  // the server's bound (query/paths_query_parser.h)
export const MAX_LIST = 100;          // exclusions, cleaning rules and groupings in the editor

export interface PathCleaningRule { regex: string; alias: string }

export interface PathsFilter {
  includeEventTypes: PathEventType[];
  startPoint?: string;
  endPoint?: string;
  stepLimit: number;
  edgeLimit: number;
  minEdgeWeight?: number;
  maxEdgeWeight?: number;
  excludeEvents?: string[];
  localPathCleaningFilters?: PathCleaningRule[];
  pathGroupings?: string[];
}

export type FunnelPathType = 'funnel_path_before_step' | 'funnel_path_after_step'
  | 'funnel_path_between_steps';

export const FUNNEL_PATH_TYPES: { value: FunnelPathType; label: string }[] = [
  { value: 'funnel_path_before_step', label: 'Paths before step' },
  { value: 'funnel_path_after_step', label: 'Paths after step' },
  { value: 'funnel_path_between_steps', label: 'Paths between steps' },
];

export interface FunnelPathsFilter {
  funnelSource: FunnelsQuery;
  funnelPathType: FunnelPathType;
  funnelStep: number;
}

export interface PathsQuery {
  kind: 'PathsQuery';
  dateRange: { date_from: string; date_to?: string | null };
  pathsFilter: PathsFilter;
  funnelPathsFilter?: FunnelPathsFilter;
}

// The steps a path type can target in a funnel of `n` steps, with their labels: reached step k
// (k ≥ 2 between steps), then dropped off before step k (k ≥ 3 between steps).
export function funnelStepOptions(type: FunnelPathType, names: string[]):
    { value: number; label: string }[] {
  const n = names.length;
  const first = type === 'funnel_path_between_steps' ? 2 : 1;
  const reached = [];
  for (let k = first; k <= n; k++) {
    reached.push({ value: k, label: `Step ${k}: ${names[k - 1]}` });
  }
  const dropped = [];
  for (let k = Math.max(2, first + 1); k <= n; k++) {
    dropped.push({ value: -k, label: `Dropped off before step ${k}: ${names[k - 1]}` });
  }
  return [...reached, ...dropped];
}

// A funnel path target that fits the path type and the funnel's steps: `step` when it does, else
// the first that does.
export function fittingStep(type: FunnelPathType, n: number, step: number): number {
  const allowed = funnelStepOptions(type, Array.from({ length: n }, () => '')).map((o) => o.value);
  return allowed.includes(step) ? step : allowed[0] ?? 1;
}

// The names of a funnel's steps, for the step select.
export function funnelStepNames(funnel: FunnelsQuery): string[] {
  return funnel.series.map((s) => s.name ?? (s.kind === 'EventsNode' ? s.event : `Action ${s.id}`));
}

function funnelPathsFromRaw(raw: any): FunnelPathsFilter | undefined {
  if (!raw || typeof raw !== 'object' || raw.funnelSource?.kind !== 'FunnelsQuery') {
    return undefined;
  }
  const funnelSource = tidyFunnel(raw.funnelSource);
  const funnelPathType = FUNNEL_PATH_TYPES.some((t) => t.value === raw.funnelPathType)
    ? raw.funnelPathType as FunnelPathType : 'funnel_path_after_step';
  const step = Number.isInteger(raw.funnelStep) ? raw.funnelStep as number : 1;
  return { funnelSource, funnelPathType,
           funnelStep: fittingStep(funnelPathType, funnelSource.series.length, step) };
}

export function defaultPaths(): PathsQuery {
  return {
    kind: 'PathsQuery',
    dateRange: { date_from: '-7d' },
    pathsFilter: { includeEventTypes: ['$pageview'], stepLimit: 5, edgeLimit: 50 },
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(value: unknown, min: number, max: number): number | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? value as number : undefined;
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((v): v is string => typeof v === 'string' && v !== '')
    .slice(0, MAX_LIST);
  return list.length > 0 ? list : undefined;
}

// The query a URL holds, or the default one.
export function pathsFromUrl(url: URL): PathsQuery {
  const query = defaultPaths();
  let raw: any;
  try {
    raw = JSON.parse(url.searchParams.get('q') ?? 'null');
  } catch {
    raw = null;
  }
  if (!raw || typeof raw !== 'object') return query;
  if (typeof raw.dateRange?.date_from === 'string') {
    query.dateRange = { date_from: raw.dateRange.date_from };
  }
  const filter = raw.pathsFilter ?? {};
  const out = query.pathsFilter;
  if (Array.isArray(filter.includeEventTypes)) {
    out.includeEventTypes = EVENT_TYPES.map((t) => t.value)
      .filter((t) => filter.includeEventTypes.includes(t));
  }
  const start = text(filter.startPoint);
  if (start !== undefined) out.startPoint = start;
  const end = text(filter.endPoint);
  if (end !== undefined) out.endPoint = end;
  out.stepLimit = count(filter.stepLimit, 2, MAX_STEP_LIMIT) ?? out.stepLimit;
  out.edgeLimit = count(filter.edgeLimit, 1, MAX_EDGE_LIMIT) ?? out.edgeLimit;
  const min = count(filter.minEdgeWeight, 1, Number.MAX_SAFE_INTEGER);
  if (min !== undefined) out.minEdgeWeight = min;
  const max = count(filter.maxEdgeWeight, 1, Number.MAX_SAFE_INTEGER);
  if (max !== undefined) out.maxEdgeWeight = max;
  const excluded = strings(filter.excludeEvents);
  if (excluded) out.excludeEvents = excluded;
  const groupings = strings(filter.pathGroupings);
  if (groupings) out.pathGroupings = groupings;
  if (Array.isArray(filter.localPathCleaningFilters)) {
    const rules = filter.localPathCleaningFilters
      .filter((r: any) => typeof r?.regex === 'string' && r.regex !== '')
      .map((r: any) => ({ regex: r.regex, alias: typeof r.alias === 'string' ? r.alias : '' }))
      .slice(0, MAX_LIST);
    if (rules.length > 0) out.localPathCleaningFilters = rules;
  }
  const funnelPaths = funnelPathsFromRaw(raw.funnelPathsFilter);
  if (funnelPaths) query.funnelPathsFilter = funnelPaths;
  return query;
}

export function urlForPaths(query: PathsQuery): string {
  return `/insights/paths?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// One edge of a PathsQuery answer (PostHog's shape): "1_/home" → "2_/pricing".
export interface PathEdge {
  source: string;
  target: string;
  value: number;
  average_conversion_time: number | null;  // milliseconds
}

export function pathEdges(results: unknown): PathEdge[] {
  if (!Array.isArray(results)) return [];
  return results.filter((e): e is PathEdge => typeof e?.source === 'string'
                        && typeof e?.target === 'string' && typeof e?.value === 'number');
}

// A node's key split into its step (1-based) and its item: "2_/pricing" → [2, "/pricing"].
export function splitNode(key: string): { step: number; item: string } {
  const match = key.match(/^(\d+)_/);
  return match ? { step: Number(match[1]), item: key.slice(match[0].length) }
               : { step: 0, item: key };
}

// Whose persons to list: the persons entering or leaving a node, those whose path ends there,
// or those who took one edge.
export type PathPersonsOf =
  | { kind: 'node'; node: string; how: 'reached' | 'continued' | 'dropped' }
  | { kind: 'edge'; source: string; target: string };

// The pathsFilter keys of InsightActorsQuery that pick those persons. A node of the first step
// has no edge entering it: its persons are those who left it, or whose path is that one item.
export function actorKeys(of: PathPersonsOf): Record<string, string> {
  if (of.kind === 'edge') return { pathStartKey: of.source, pathEndKey: of.target };
  if (of.how === 'dropped') return { pathDropoffKey: of.node };
  if (of.how === 'continued' || splitNode(of.node).step <= 1) return { pathStartKey: of.node };
  return { pathEndKey: of.node };
}

export const PERSONS_LIMIT = 100;

export function pathsActorsQuery(query: PathsQuery, of: PathPersonsOf): object {
  return {
    kind: 'ActorsQuery',
    select: ['actor', 'event_count'],
    orderBy: ['event_count DESC'],
    limit: PERSONS_LIMIT,
    source: {
      kind: 'InsightActorsQuery',
      source: { ...query, pathsFilter: { ...query.pathsFilter, ...actorKeys(of) } },
    },
  };
}
