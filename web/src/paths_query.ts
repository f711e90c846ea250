// The Paths editor's state is a PathsQuery, kept whole in the page's URL (?q=<JSON>) as the Trends
// and Funnels editors keep theirs. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens. Also the answer's shape (step-numbered edges) and
// the actors query that lists the persons of a node or an edge.

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

export interface PathsQuery {
  kind: 'PathsQuery';
  dateRange: { date_from: string; date_to?: string | null };
  pathsFilter: PathsFilter;
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
