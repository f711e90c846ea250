// The Activity page's events table as an EventsQuery (PostHog's events explorer): the columns
// (HogQL expressions, each optionally labelled "expr -- Label"), the event, property filters and
// how far back, kept in the page's URL (?q=<JSON>, read leniently: what is missing or malformed
// takes its default). The query always selects `*` first (the whole event: its properties for
// the detail row, its uuid and time for live updates), which the table does not show.
import { filtersFromRaw, PropertyFilter } from './property_filters';

export interface ActivityQuery {
  columns: string[];
  event: string | null;  // null: every event
  properties: PropertyFilter[];
  after: string;         // a relative date ("-24h") or "all"
}

export const DEFAULT_COLUMNS = ['event', 'person',
                                'coalesce(properties.$current_url, properties.$screen_name) -- Url / Screen',
                                'properties.$lib', 'timestamp'];

export const RANGES = [
  { value: '-1h', label: 'Last hour' },
  { value: '-24h', label: 'Last 24 hours' },
  { value: '-7d', label: 'Last 7 days' },
  { value: '-30d', label: 'Last 30 days' },
  { value: 'all', label: 'All time' },
];

export const MAX_COLUMNS = 30;
const MAX_COLUMN = 1000;
export const PAGE_SIZE = 100;

export function defaultActivityQuery(): ActivityQuery {
  return { columns: [...DEFAULT_COLUMNS], event: null, properties: [], after: '-24h' };
}

export function activityFromUrl(location: URL): ActivityQuery {
  const query = defaultActivityQuery();
  let raw: any;
  try {
    raw = JSON.parse(location.searchParams.get('q') ?? '{}');
  } catch {
    return query;
  }
  if (!raw || typeof raw !== 'object') return query;
  if (Array.isArray(raw.columns)) {
    const columns = raw.columns.filter((c: unknown): c is string =>
      typeof c === 'string' && c.trim() !== '' && c.trim() !== '*' && c.length <= MAX_COLUMN)
      .map((c: string) => c.trim()).slice(0, MAX_COLUMNS);
    if (columns.length) query.columns = columns;
  }
  if (typeof raw.event === 'string' && raw.event) query.event = raw.event;
  query.properties = filtersFromRaw(raw.properties);
  if (RANGES.some((r) => r.value === raw.after)) query.after = raw.after;
  return query;
}

export function activityUrl(query: ActivityQuery): string {
  return `/activity?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// The EventsQuery of a page of the table: `after` overridden by live updates (an instant),
// `offset` by "Load more".
export function eventsQuery(query: ActivityQuery, page: { after?: string; offset?: number } = {})
  : Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: 'EventsQuery', select: ['*', ...query.columns], orderBy: ['timestamp DESC'],
    after: page.after ?? query.after, limit: PAGE_SIZE,
  };
  if (page.offset) body.offset = page.offset;
  if (query.event) body.event = query.event;
  if (query.properties.length) body.properties = query.properties;
  return body;
}

// What a column's header says: its label after " -- ", else the expression with a leading
// "properties." dropped.
export function columnLabel(column: string): string {
  const labelled = column.lastIndexOf(' -- ');
  if (labelled >= 0) return column.slice(labelled + 4).trim();
  return column.startsWith('properties.') ? column.slice('properties.'.length) : column;
}
