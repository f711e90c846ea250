// The Lifecycle editor's state is a LifecycleQuery (analytics §3.7), kept whole in the page's
// URL (?q=<JSON>) as the Trends editor keeps its TrendsQuery: its one series, interval and date
// range, and which statuses are shown (lifecycleFilter.toggledLifecycles, display only: every
// status is answered). Its answer holds, per period, the persons new, returning, resurrecting
// and dormant (the dormant counted negative).
import type { EntityNode } from './components/series_picker';
import { dateFromRaw, entityFromRaw, oneOf, rawQuery } from './insight_url';
import { Interval, INTERVALS } from './trends_query';

export type LifecycleStatus = 'new' | 'returning' | 'resurrecting' | 'dormant';

// In the answer's order, with PostHog's colours.
export const STATUSES: { status: LifecycleStatus; color: string }[] = [
  { status: 'new', color: '#1d4aff' },
  { status: 'returning', color: '#388600' },
  { status: 'resurrecting', color: '#a56eff' },
  { status: 'dormant', color: '#db3707' },
];

export interface LifecycleQuery {
  kind: 'LifecycleQuery';
  series: [EntityNode];
  interval: Interval;
  dateRange: { date_from: string };
  // Absent: every status is shown.
  lifecycleFilter?: { toggledLifecycles: LifecycleStatus[] };
}

export function defaultLifecycle(): LifecycleQuery {
  return {
    kind: 'LifecycleQuery',
    series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview' }],
    interval: 'day',
    dateRange: { date_from: '-7d' },
  };
}

// The query a URL holds, or the default one.
export function lifecycleFromUrl(url: URL): LifecycleQuery {
  const query = defaultLifecycle();
  const raw = rawQuery(url);
  if (!raw) return query;
  const node = Array.isArray(raw.series) ? entityFromRaw(raw.series[0]) : null;
  if (node) query.series = [node];
  query.interval = oneOf(raw.interval, INTERVALS, 'day');
  query.dateRange = { date_from: dateFromRaw(raw) };
  const toggled = raw.lifecycleFilter?.toggledLifecycles;
  if (Array.isArray(toggled)) {
    const shown = STATUSES.map((s) => s.status).filter((status) => toggled.includes(status));
    if (shown.length < STATUSES.length) query.lifecycleFilter = { toggledLifecycles: shown };
  }
  return query;
}

// The statuses a query shows, in the answer's order.
export function shownStatuses(query: LifecycleQuery): LifecycleStatus[] {
  const toggled: unknown = query.lifecycleFilter?.toggledLifecycles;
  const all = STATUSES.map((s) => s.status);
  return Array.isArray(toggled) ? all.filter((status) => toggled.includes(status)) : all;
}

export function urlForLifecycle(query: LifecycleQuery): string {
  return `/insights/lifecycle?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// One status of the answer: its count per period (negative for dormant).
export interface LifecycleResult {
  label: string;
  status: LifecycleStatus;
  count: number;
  data: number[];
  days: string[];
  labels: string[];
}
