// The Funnels editor's state is a FunnelsQuery, kept whole in the page's URL (?q=<JSON>) as the
// Trends editor keeps its TrendsQuery. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens.
import type { EntityNode } from './components/series_picker';

export type FunnelOrder = 'ordered' | 'strict' | 'unordered';
export type WindowUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

export const ORDERS: { value: FunnelOrder; label: string }[] = [
  { value: 'ordered', label: 'Sequential' },
  { value: 'strict', label: 'Strict order' },
  { value: 'unordered', label: 'Any order' },
];
export const WINDOW_UNITS: WindowUnit[] = ['minute', 'hour', 'day', 'week', 'month'];
export const MAX_STEPS = 20;

export type FunnelStep = { kind: 'EventsNode'; event: string; name?: string }
  | { kind: 'ActionsNode'; id: number; name?: string };

export interface FunnelsQuery {
  kind: 'FunnelsQuery';
  series: FunnelStep[];
  dateRange: { date_from: string; date_to?: string | null };
  funnelsFilter: {
    funnelOrderType: FunnelOrder;
    funnelWindowInterval: number;
    funnelWindowIntervalUnit: WindowUnit;
    funnelVizType: 'steps';
  };
  breakdownFilter?: { breakdown: string; breakdown_type: 'event' };
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
  const query = defaultFunnel();
  let raw: any;
  try {
    raw = JSON.parse(url.searchParams.get('q') ?? 'null');
  } catch {
    raw = null;
  }
  if (!raw || typeof raw !== 'object') return query;
  const steps: FunnelStep[] = Array.isArray(raw.series)
    ? raw.series.flatMap((node: any): FunnelStep[] => {
        if (node?.kind === 'ActionsNode' && Number.isInteger(node.id)) {
          return [{ kind: 'ActionsNode', id: node.id,
                    name: typeof node.name === 'string' ? node.name : `Action ${node.id}` }];
        }
        if (typeof node?.event === 'string') {
          return [{ kind: 'EventsNode', event: node.event, name: node.event }];
        }
        return [];
      })
    : [];
  if (steps.length >= 2) query.series = steps.slice(0, MAX_STEPS);
  if (typeof raw.dateRange?.date_from === 'string') {
    query.dateRange = { date_from: raw.dateRange.date_from };
  }
  const filter = raw.funnelsFilter ?? {};
  query.funnelsFilter.funnelOrderType = oneOf(filter.funnelOrderType,
                                              ORDERS.map((o) => o.value), 'ordered');
  if (Number.isInteger(filter.funnelWindowInterval) && filter.funnelWindowInterval > 0) {
    query.funnelsFilter.funnelWindowInterval = filter.funnelWindowInterval;
  }
  query.funnelsFilter.funnelWindowIntervalUnit = oneOf(filter.funnelWindowIntervalUnit,
                                                       WINDOW_UNITS, 'day');
  const breakdown = raw.breakdownFilter?.breakdown;
  if (typeof breakdown === 'string' && breakdown) {
    query.breakdownFilter = { breakdown, breakdown_type: 'event' };
  }
  return query;
}

export function urlForFunnel(query: FunnelsQuery): string {
  return `/insights/funnels?q=${encodeURIComponent(JSON.stringify(query))}`;
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
