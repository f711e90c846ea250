// The Trends editor's state is a TrendsQuery, kept whole in the page's URL (?q=<JSON>) so a
// link reopens the same insight. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens.

export type MathType = 'total' | 'dau' | 'weekly_active' | 'monthly_active';
export type Interval = 'hour' | 'day' | 'week' | 'month';

export const MATHS: { value: MathType; label: string }[] = [
  { value: 'total', label: 'Total count' },
  { value: 'dau', label: 'Unique users' },
  { value: 'weekly_active', label: 'Weekly active users' },
  { value: 'monthly_active', label: 'Monthly active users' },
];
export const INTERVALS: Interval[] = ['hour', 'day', 'week', 'month'];
export const DATE_RANGES: { value: string; label: string }[] = [
  { value: '-24h', label: 'Last 24 hours' },
  { value: '-7d', label: 'Last 7 days' },
  { value: '-14d', label: 'Last 14 days' },
  { value: '-30d', label: 'Last 30 days' },
  { value: '-90d', label: 'Last 90 days' },
];

export interface EventsNode {
  kind: 'EventsNode';
  event: string | null;  // null: all events
  name?: string;
  math: MathType;
}

export interface ActionsNode {
  kind: 'ActionsNode';
  id: number;
  name?: string;
  math: MathType;
}

export type SeriesNode = EventsNode | ActionsNode;

export interface TrendsQuery {
  kind: 'TrendsQuery';
  series: SeriesNode[];
  interval: Interval;
  dateRange: { date_from: string; date_to?: string | null };
  breakdownFilter?: { breakdown: string; breakdown_type: 'event' };
}

export function defaultQuery(): TrendsQuery {
  return {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview', math: 'total' }],
    interval: 'day',
    dateRange: { date_from: '-7d' },
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

// The query a URL holds, or the default one.
export function queryFromUrl(url: URL): TrendsQuery {
  const fallback = defaultQuery();
  let raw: any;
  try {
    raw = JSON.parse(url.searchParams.get('q') ?? 'null');
  } catch {
    raw = null;
  }
  if (!raw || typeof raw !== 'object') return fallback;
  const maths = MATHS.map((math) => math.value);
  const series: SeriesNode[] = Array.isArray(raw.series)
    ? raw.series
        .filter((node: any) => node && typeof node === 'object')
        .map((node: any): SeriesNode => {
          const math = oneOf(node.math, maths, 'total');
          if (node.kind === 'ActionsNode' && Number.isInteger(node.id)) {
            return { kind: 'ActionsNode', id: node.id,
                     name: typeof node.name === 'string' ? node.name : `Action ${node.id}`, math };
          }
          const event = typeof node.event === 'string' ? node.event : null;
          return { kind: 'EventsNode', event, name: event ?? 'All events', math };
        })
    : [];
  const query: TrendsQuery = {
    kind: 'TrendsQuery',
    series: series.length ? series.slice(0, 10) : fallback.series,
    interval: oneOf(raw.interval, INTERVALS, 'day'),
    dateRange: {
      date_from: typeof raw.dateRange?.date_from === 'string' ? raw.dateRange.date_from : '-7d',
    },
  };
  const breakdown = raw.breakdownFilter?.breakdown;
  if (typeof breakdown === 'string' && breakdown) {
    query.breakdownFilter = { breakdown, breakdown_type: 'event' };
  }
  return query;
}

export function urlForQuery(query: TrendsQuery): string {
  return `/insights/trends?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// One line of a TrendsQuery answer.
export interface TrendsResult {
  label: string;
  data: number[];
  labels: string[];
  days: string[];
  count: number;
  breakdown_value?: unknown;
}
