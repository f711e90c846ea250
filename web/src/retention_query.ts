// The Retention editor's state is a RetentionQuery (analytics §3.4), kept whole in the page's
// URL (?q=<JSON>) as the Trends editor keeps its TrendsQuery; its answer is one row per cohort
// whose percentages the page computes (retentionReference: of the cohort, or of the interval
// before).
import { BreakdownFilter, breakdownFromRaw } from './components/breakdown_select';
import type { EntityNode } from './components/series_picker';
import { dateFromRaw, intFromRaw, oneOf, rawQuery } from './insight_url';

export type RetentionPeriod = 'Hour' | 'Day' | 'Week' | 'Month';
export type RetentionType = 'retention_recurring' | 'retention_first_time'
  | 'retention_first_ever_occurrence';
export type RetentionReference = 'total' | 'previous';

export const PERIODS: RetentionPeriod[] = ['Hour', 'Day', 'Week', 'Month'];
export const RETENTION_TYPES: { value: RetentionType; label: string }[] = [
  { value: 'retention_recurring', label: 'Recurring' },
  { value: 'retention_first_time', label: 'First time' },
  { value: 'retention_first_ever_occurrence', label: 'First ever occurrence' },
];
export const REFERENCES: { value: RetentionReference; label: string }[] = [
  { value: 'total', label: 'Of the cohort' },
  { value: 'previous', label: 'Of the previous interval' },
];
export const MAX_INTERVALS = 100;
export const MAX_OCCURRENCES = 1000;

// PostHog's RetentionEntity: an event (id its name, null for all events) or an action (id).
export interface RetentionEntity {
  id: string | number | null;
  type: 'events' | 'actions';
  name?: string;
}

export interface RetentionQuery {
  kind: 'RetentionQuery';
  dateRange: { date_from: string };
  retentionFilter: {
    targetEntity: RetentionEntity;
    returningEntity: RetentionEntity;
    retentionType: RetentionType;
    period: RetentionPeriod;
    totalIntervals: number;
    retentionReference: RetentionReference;
    // A return at interval k also counts at intervals 1…k-1 ("on or after").
    cumulative: boolean;
    // The returning events an interval needs to count as a return.
    minimumOccurrences: number;
  };
  breakdownFilter?: BreakdownFilter;
}

export function entityFromNode(node: EntityNode): RetentionEntity {
  if (node.kind === 'ActionsNode') return { id: node.id, type: 'actions', name: node.name };
  return { id: node.event, type: 'events', name: node.event ?? 'All events' };
}

export function nodeFromEntity(entity: RetentionEntity): EntityNode {
  if (entity.type === 'actions') {
    const id = Number(entity.id);
    return { kind: 'ActionsNode', id, name: entity.name ?? `Action ${id}` };
  }
  const event = typeof entity.id === 'string' ? entity.id : null;
  return { kind: 'EventsNode', event, name: event ?? 'All events' };
}

export function defaultRetention(): RetentionQuery {
  const pageview: RetentionEntity = { id: '$pageview', type: 'events', name: '$pageview' };
  return {
    kind: 'RetentionQuery',
    dateRange: { date_from: '-7d' },
    retentionFilter: {
      targetEntity: pageview,
      returningEntity: { ...pageview },
      retentionType: 'retention_recurring',
      period: 'Day',
      totalIntervals: 8,
      retentionReference: 'total',
      cumulative: false,
      minimumOccurrences: 1,
    },
  };
}

function entityFromRaw(raw: any, fallback: RetentionEntity): RetentionEntity {
  if (raw?.type === 'actions' && (Number.isInteger(raw.id) || /^\d+$/.test(String(raw.id)))) {
    const id = Number(raw.id);
    return { id, type: 'actions', name: typeof raw.name === 'string' ? raw.name : `Action ${id}` };
  }
  if (raw?.type === 'events' && (typeof raw.id === 'string' || raw.id === null)) {
    return { id: raw.id, type: 'events', name: raw.id ?? 'All events' };
  }
  return fallback;
}

// The query a URL holds, or the default one.
export function retentionFromUrl(url: URL): RetentionQuery {
  return retentionFromJson(rawQuery(url));
}

// The query a JSON value holds (a URL's, a saved insight's), its missing or malformed parts
// taking their defaults.
export function retentionFromJson(raw: any): RetentionQuery {
  const query = defaultRetention();
  if (!raw || typeof raw !== 'object') return query;
  const filter = raw.retentionFilter ?? {};
  const own = query.retentionFilter;
  query.dateRange = { date_from: dateFromRaw(raw) };
  query.retentionFilter = {
    targetEntity: entityFromRaw(filter.targetEntity, own.targetEntity),
    returningEntity: entityFromRaw(filter.returningEntity, own.returningEntity),
    retentionType: oneOf(filter.retentionType, RETENTION_TYPES.map((t) => t.value),
                         'retention_recurring'),
    period: oneOf(filter.period, PERIODS, 'Day'),
    totalIntervals: intFromRaw(filter.totalIntervals, 1, MAX_INTERVALS, 8),
    retentionReference: oneOf(filter.retentionReference, REFERENCES.map((r) => r.value), 'total'),
    cumulative: filter.cumulative === true,
    minimumOccurrences: intFromRaw(filter.minimumOccurrences, 1, MAX_OCCURRENCES, 1),
  };
  const breakdown = breakdownFromRaw(raw);
  if (breakdown) query.breakdownFilter = breakdown;
  return query;
}

export function urlForRetention(query: RetentionQuery): string {
  return `/insights/retention?q=${encodeURIComponent(JSON.stringify(query))}`;
}

// One cohort of the answer: its period's start, and per offset the actors counted.
export interface RetentionCohort {
  label: string;
  date: string;
  breakdown_value?: unknown;
  values: { count: number; label: string }[];
}

// The share (0–100) offset `k` of a cohort's counts holds: of the cohort's size, or of the
// offset before (retentionReference 'previous'); 0 when that is empty.
export function retentionPercent(counts: number[], k: number,
                                 reference: RetentionReference): number {
  const whole = reference === 'previous' && k > 0 ? counts[k - 1] : counts[0];
  return whole > 0 ? 100 * counts[k] / whole : 0;
}

// A percentage as the table shows it: one decimal, without a trailing ".0".
export function percentText(percent: number): string {
  return `${Number(percent.toFixed(1))}%`;
}

// A cohort's period start as the table shows it: the date, with the hour for hourly cohorts and
// without the day for monthly ones (the answer's own wall-clock text, not the browser's zone).
export function cohortDate(date: string, period: RetentionPeriod): string {
  if (period === 'Hour') return `${date.slice(0, 10)} ${date.slice(11, 16)}`;
  if (period === 'Month') return date.slice(0, 7);
  return date.slice(0, 10);
}

// The actors query column of offset `k` ("day_3"): 1 when the actor was counted there.
export function appearanceColumn(period: RetentionPeriod, k: number): string {
  return `${period.toLowerCase()}_${k}`;
}
