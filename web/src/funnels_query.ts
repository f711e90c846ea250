// The Funnels editor's state is a FunnelsQuery, kept whole in the page's URL (?q=<JSON>) as the
// Trends editor keeps its TrendsQuery. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens.
import type { EntityNode } from './components/series_picker';
import { Interval, INTERVALS } from './trends_query';

export type FunnelOrder = 'ordered' | 'strict' | 'unordered';
export type WindowUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';
export type VizType = 'steps' | 'time_to_convert' | 'trends';

export const ORDERS: { value: FunnelOrder; label: string }[] = [
  { value: 'ordered', label: 'Sequential' },
  { value: 'strict', label: 'Strict order' },
  { value: 'unordered', label: 'Any order' },
];
export const VIZ_TYPES: { value: VizType; label: string }[] = [
  { value: 'steps', label: 'Conversion steps' },
  { value: 'time_to_convert', label: 'Time to convert' },
  { value: 'trends', label: 'Historical trends' },
];
export const WINDOW_UNITS: WindowUnit[] = ['minute', 'hour', 'day', 'week', 'month'];
export const MAX_STEPS = 20;

export type FunnelStep = ({ kind: 'EventsNode'; event: string; name?: string }
  | { kind: 'ActionsNode'; id: number; name?: string }) & { optionalInFunnel?: true };

// An event that, done between two steps (0-based), removes the actor from the funnel.
export interface FunnelExclusion {
  kind: 'EventsNode'; event: string; funnelFromStep: number; funnelToStep: number;
}

export interface FunnelsQuery {
  kind: 'FunnelsQuery';
  series: FunnelStep[];
  dateRange: { date_from: string; date_to?: string | null };
  funnelsFilter: {
    funnelOrderType: FunnelOrder;
    funnelWindowInterval: number;
    funnelWindowIntervalUnit: WindowUnit;
    funnelVizType: VizType;
    funnelFromStep?: number;
    funnelToStep?: number;
    exclusions?: FunnelExclusion[];
  };
  breakdownFilter?: { breakdown: string; breakdown_type: 'event' };
  interval?: Interval;
}

export function defaultFunnel(): FunnelsQuery {
  return {
    kind: 'FunnelsQuery',
    series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview' },
             { kind: 'EventsNode', event: '$pageview', name: '$pageview' }],
    dateRange: { date_from: '-7d' },
    funnelsFilter: { funnelOrderType: 'ordered', funnelWindowInterval: 14,
                     funnelWindowIntervalUnit: 'day', funnelVizType: 'steps' },
  };
}

// A funnel step from a picked node: a funnel has no "All events" step, so that picks $pageview.
export function stepFromNode(node: EntityNode): FunnelStep {
  if (node.kind === 'ActionsNode') return node;
  const event = node.event ?? '$pageview';
  return { kind: 'EventsNode', event, name: event };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

// The query a URL holds, or the default one.
export function funnelFromUrl(url: URL): FunnelsQuery {
  let raw: any;
  try {
    raw = JSON.parse(url.searchParams.get('q') ?? 'null');
  } catch {
    raw = null;
  }
  return tidyFunnel(raw);
}

function stepIndex(value: unknown, steps: number): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < steps;
}

// A FunnelsQuery from any value: its usable parts in a fixed key order, defaults for the rest,
// step references that no longer fit the steps dropped.
export function tidyFunnel(raw: any): FunnelsQuery {
  const query = defaultFunnel();
  if (!raw || typeof raw !== 'object') return query;
  const steps: FunnelStep[] = Array.isArray(raw.series)
    ? raw.series.flatMap((node: any): FunnelStep[] => {
        let step: FunnelStep;
        if (node?.kind === 'ActionsNode' && Number.isInteger(node.id)) {
          step = { kind: 'ActionsNode', id: node.id,
                   name: typeof node.name === 'string' ? node.name : `Action ${node.id}` };
        } else if (typeof node?.event === 'string') {
          step = { kind: 'EventsNode', event: node.event, name: node.event };
        } else {
          return [];
        }
        if (node.optionalInFunnel === true) step.optionalInFunnel = true;
        return [step];
      })
    : [];
  if (steps.length >= 2) query.series = steps.slice(0, MAX_STEPS);
  const n = query.series.length;
  if (typeof raw.dateRange?.date_from === 'string') {
    query.dateRange = { date_from: raw.dateRange.date_from };
  }
  const filter = raw.funnelsFilter ?? {};
  const out = query.funnelsFilter;
  out.funnelOrderType = oneOf(filter.funnelOrderType, ORDERS.map((o) => o.value), 'ordered');
  if (Number.isInteger(filter.funnelWindowInterval) && filter.funnelWindowInterval > 0) {
    out.funnelWindowInterval = filter.funnelWindowInterval;
  }
  out.funnelWindowIntervalUnit = oneOf(filter.funnelWindowIntervalUnit, WINDOW_UNITS, 'day');
  out.funnelVizType = oneOf(filter.funnelVizType, VIZ_TYPES.map((v) => v.value), 'steps');
  if (stepIndex(filter.funnelFromStep, n)) out.funnelFromStep = filter.funnelFromStep;
  if (stepIndex(filter.funnelToStep, n)) out.funnelToStep = filter.funnelToStep;
  const exclusions: FunnelExclusion[] = Array.isArray(filter.exclusions)
    ? filter.exclusions.flatMap((e: any): FunnelExclusion[] => (
        typeof e?.event === 'string' && stepIndex(e.funnelFromStep, n)
          && stepIndex(e.funnelToStep, n)
          ? [{ kind: 'EventsNode', event: e.event, funnelFromStep: e.funnelFromStep,
               funnelToStep: e.funnelToStep }]
          : []))
    : [];
  if (exclusions.length > 0) out.exclusions = exclusions;
  const breakdown = raw.breakdownFilter?.breakdown;
  if (typeof breakdown === 'string' && breakdown) {
    query.breakdownFilter = { breakdown, breakdown_type: 'event' };
  }
  if (raw.interval !== undefined) query.interval = oneOf(raw.interval, INTERVALS, 'day');
  return query;
}

export function urlForFunnel(query: FunnelsQuery): string {
  return `/insights/funnels?q=${encodeURIComponent(JSON.stringify(tidyFunnel(query)))}`;
}

// One step of a FunnelsQuery answer (PostHog's shape).
export interface FunnelStepResult {
  action_id: string | number | null;
  name: string;
  custom_name: string | null;
  order: number;
  count: number;
  average_conversion_time: number | null;
  median_conversion_time: number | null;
  breakdown_value?: unknown;
}

// The answer's lines: one per breakdown value, or the one line of a funnel without breakdown.
export function funnelLines(results: unknown): FunnelStepResult[][] {
  if (!Array.isArray(results) || results.length === 0) return [];
  return Array.isArray(results[0]) ? results as FunnelStepResult[][]
                                   : [results as FunnelStepResult[]];
}

// The answer of a `time_to_convert` funnel: [seconds from, actors] per bin, and the average.
export interface FunnelTimes { bins: [number, number][]; average_conversion_time: number | null }

// The answer of a `trends` funnel: per line the conversion rate (percent) of each period's entries.
export interface FunnelTrend {
  count: number; data: number[]; days: string[]; labels: string[]; breakdown_value?: unknown;
}

export function funnelTimes(results: unknown): FunnelTimes | null {
  const r = results as FunnelTimes | null;
  return r && typeof r === 'object' && Array.isArray(r.bins) ? r : null;
}

export function funnelTrends(results: unknown): FunnelTrend[] {
  return Array.isArray(results)
    ? results.filter((r) => r && typeof r === 'object' && Array.isArray(r.data)) : [];
}
