// The Trends breakdown as PostHog's BreakdownFilter holds it: one breakdown ({breakdown,
// breakdown_type, breakdown_group_type_index, breakdown_histogram_bin_count}) or up to three
// ({breakdowns: [{property, type, group_type_index, histogram_bin_count}]}), each a property of
// the event, of the person, or of the event's group of one type, or a HogQL expression (its
// `property`); an event property may be put into histogram bins. A cohort breakdown stands alone,
// in the single form: `breakdown` lists cohort ids and "all" (every person). The editor works on
// the list and writes one breakdown in the single form (its lines' breakdown_value a text, a
// cohort's id) and several in the list form (a list of texts, labelled "a::b").
//
//   filterOfBreakdowns([{ property: '$browser', type: 'event' },
//                       { property: 'plan', type: 'group', group_type_index: 0 }])
//   → { breakdowns: [{ property: '$browser', type: 'event' },
//                    { property: 'plan', type: 'group', group_type_index: 0 }] }
//   filterOfBreakdowns([{ property: '', type: 'cohort', cohorts: [3, 'all'] }])
//   → { breakdown: [3, 'all'], breakdown_type: 'cohort' }

export type BreakdownType = 'event' | 'person' | 'group' | 'hogql' | 'cohort';

export type CohortRef = number | 'all';

export interface Breakdown {
  property: string;  // a property name or a HogQL expression; '' for cohorts
  type: BreakdownType;
  group_type_index?: number;
  histogram_bin_count?: number;  // event properties only
  cohorts?: CohortRef[];  // cohort breakdowns only
}

export interface BreakdownFilter {
  breakdown?: string | CohortRef[];
  breakdown_type?: BreakdownType;
  breakdown_group_type_index?: number;
  breakdown_histogram_bin_count?: number;
  breakdowns?: Breakdown[];
  breakdown_limit?: number;  // lines past it are summed into "Other" (PostHog's default: 25)
}

export const MAX_BREAKDOWNS = 3;
export const MAX_BIN_COUNT = 1000;    // the server's bound
export const MAX_HOGQL_LENGTH = 4096;  // the server's bound on one expression
const MAX_COHORTS = 100;
const MAX_GROUP_TYPE_INDEX = 4;

function groupIndex(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0
    && (value as number) <= MAX_GROUP_TYPE_INDEX ? value as number : undefined;
}

export const MAX_BREAKDOWN_LIMIT = 10000;

// A breakdown_limit: a whole number from 1 to MAX_BREAKDOWN_LIMIT.
export function breakdownLimit(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 1
    && (value as number) <= MAX_BREAKDOWN_LIMIT ? value as number : undefined;
}

export function binCount(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_BIN_COUNT
    ? value as number : undefined;
}

// The cohorts of a cohort breakdown's `breakdown`: ids and "all" (one id alone too), each once.
function cohortsOf(value: unknown): CohortRef[] {
  const list = Array.isArray(value) ? value : [value];
  const refs = list.map((v) => v === 'all' ? 'all'
    : typeof v === 'number' && Number.isInteger(v) && v > 0 ? v
    : typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : null)
    .filter((v): v is CohortRef => v !== null);
  return [...new Set(refs)].slice(0, MAX_COHORTS);
}

// One breakdown of a query's JSON, or null when it names no property (or a group breakdown no
// group type).
function breakdownOf(property: unknown, type: unknown, index: unknown,
                     bins: unknown): Breakdown | null {
  if (typeof property !== 'string' || !property) return null;
  if (type === 'group') {
    const group_type_index = groupIndex(index);
    return group_type_index === undefined ? null : { property, type: 'group', group_type_index };
  }
  if (type === 'hogql') return { property: property.slice(0, MAX_HOGQL_LENGTH), type: 'hogql' };
  if (type === 'person') return { property, type: 'person' };
  const breakdown: Breakdown = { property, type: 'event' };
  const histogram_bin_count = binCount(bins);
  if (histogram_bin_count !== undefined) breakdown.histogram_bin_count = histogram_bin_count;
  return breakdown;
}

// The breakdowns a query's breakdownFilter holds (the list form first, as PostHog reads it).
export function breakdownsFromRaw(raw: any): Breakdown[] {
  if (!raw || typeof raw !== 'object') return [];
  if (Array.isArray(raw.breakdowns) && raw.breakdowns.length) {
    return raw.breakdowns
      .map((b: any) => b && typeof b === 'object'
        ? breakdownOf(b.property, b.type, b.group_type_index, b.histogram_bin_count) : null)
      .filter((b: Breakdown | null): b is Breakdown => b !== null)
      .slice(0, MAX_BREAKDOWNS);
  }
  if (raw.breakdown_type === 'cohort') {
    const cohorts = cohortsOf(raw.breakdown);
    return cohorts.length ? [{ property: '', type: 'cohort', cohorts }] : [];
  }
  const one = breakdownOf(raw.breakdown, raw.breakdown_type, raw.breakdown_group_type_index,
                          raw.breakdown_histogram_bin_count);
  return one ? [one] : [];
}

// The BreakdownFilter of a list of breakdowns; none for an empty list. A cohort breakdown is
// written alone (the others are dropped).
export function filterOfBreakdowns(list: Breakdown[]): BreakdownFilter | undefined {
  const cohort = list.find((b) => b.type === 'cohort');
  if (cohort) return { breakdown: [...cohort.cohorts ?? ['all']], breakdown_type: 'cohort' };
  if (list.length === 0) return undefined;
  if (list.length === 1) {
    const [b] = list;
    const filter: BreakdownFilter = { breakdown: b.property, breakdown_type: b.type };
    if (b.type === 'group') filter.breakdown_group_type_index = b.group_type_index;
    if (b.type === 'event' && b.histogram_bin_count !== undefined) {
      filter.breakdown_histogram_bin_count = b.histogram_bin_count;
    }
    return filter;
  }
  return { breakdowns: list.slice(0, MAX_BREAKDOWNS).map((b) => {
    const item: Breakdown = { property: b.property, type: b.type };
    if (b.type === 'group') item.group_type_index = b.group_type_index;
    if (b.type === 'event' && b.histogram_bin_count !== undefined) {
      item.histogram_bin_count = b.histogram_bin_count;
    }
    return item;
  }) };
}

// A line's breakdown value as its label shows it: several values joined by "::".
export function breakdownText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('::') : String(value);
}

// PostHog's labels of the line past the breakdown limit and of a missing value.
export const BREAKDOWN_OTHER = '$$_posthog_breakdown_other_$$';
export const BREAKDOWN_NULL = '$$_posthog_breakdown_null_$$';

// A breakdown value as a heading or title shows it: "Other" for the values past the limit,
// "(none)" for a missing one (null label or empty), else the value as it is.
export function breakdownValueLabel(value: string): string {
  if (value === BREAKDOWN_OTHER) return 'Other';
  if (value === BREAKDOWN_NULL || value === '') return '(none)';
  return value;
}
