// The Stickiness editor's state is a StickinessQuery (analytics §3.6), kept whole in the page's
// URL (?q=<JSON>) as the Trends editor keeps its TrendsQuery: its series (each counting persons),
// interval, date range and whether the counts are cumulative.
import type { EntityNode } from './components/series_picker';
import { dateFromRaw, entityFromRaw, oneOf, rawQuery } from './insight_url';
import { Interval, INTERVALS } from './trends_query';

export type StickinessMode = 'non_cumulative' | 'cumulative';
export const MODES: { value: StickinessMode; label: string }[] = [
  { value: 'non_cumulative', label: 'Exactly N intervals' },
  { value: 'cumulative', label: 'N intervals or more' },
];
export const MAX_SERIES = 10;

export interface StickinessQuery {
  kind: 'StickinessQuery';
  series: EntityNode[];
  interval: Interval;
  dateRange: { date_from: string };
  stickinessFilter: { computedAs: StickinessMode };
}

export function defaultStickiness(): StickinessQuery {
  return {
    kind: 'StickinessQuery',
    series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview' }],
    interval: 'day',
    dateRange: { date_from: '-7d' },
    stickinessFilter: { computedAs: 'non_cumulative' },
  };
}

// The query a URL holds, or the default one.
export function stickinessFromUrl(url: URL): StickinessQuery {
  const query = defaultStickiness();
  const raw = rawQuery(url);
  if (!raw) return query;
  const series = Array.isArray(raw.series)
    ? raw.series.map(entityFromRaw).filter((node: EntityNode | null) => node !== null) : [];
  if (series.length) query.series = series.slice(0, MAX_SERIES);
  query.interval = oneOf(raw.interval, INTERVALS, 'day');
  query.dateRange = { date_from: dateFromRaw(raw) };
  query.stickinessFilter.computedAs = oneOf(raw.stickinessFilter?.computedAs,
                                            MODES.map((m) => m.value), 'non_cumulative');
  return query;
}

export function urlForStickiness(query: StickinessQuery): string {
  return `/insights/stickiness?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// One series of the answer: per number of intervals (days: 1, 2, …) the persons active in
// that many.
export interface StickinessResult {
  label: string;
  count: number;
  data: number[];
  days: number[];
  labels: string[];
}
