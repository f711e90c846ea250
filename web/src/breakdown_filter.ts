// The Trends breakdown as PostHog's BreakdownFilter holds it: one property ({breakdown,
// breakdown_type, breakdown_group_type_index}) or up to three ({breakdowns: [{property, type,
// group_type_index}]}), each a property of the event, of the person, or of the event's group of
// one type. The editor works on the list and writes one breakdown in the single form (its lines'
// breakdown_value a text) and several in the list form (a list of texts, labelled "a::b").
//
//   filterOfBreakdowns([{ property: '$browser', type: 'event' },
//                       { property: 'plan', type: 'group', group_type_index: 0 }])
//   → { breakdowns: [{ property: '$browser', type: 'event' },
//                    { property: 'plan', type: 'group', group_type_index: 0 }] }

export type BreakdownType = 'event' | 'person' | 'group';

export interface Breakdown { property: string; type: BreakdownType; group_type_index?: number }

export interface BreakdownFilter {
  breakdown?: string;
  breakdown_type?: BreakdownType;
  breakdown_group_type_index?: number;
  breakdowns?: Breakdown[];
}

export const MAX_BREAKDOWNS = 3;
const MAX_GROUP_TYPE_INDEX = 4;

function groupIndex(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0
    && (value as number) <= MAX_GROUP_TYPE_INDEX ? value as number : undefined;
}

// One breakdown of a query's JSON, or null when it names no property (or a group breakdown no
// group type).
function breakdownOf(property: unknown, type: unknown, index: unknown): Breakdown | null {
  if (typeof property !== 'string' || !property) return null;
  if (type === 'group') {
    const group_type_index = groupIndex(index);
    return group_type_index === undefined ? null : { property, type: 'group', group_type_index };
  }
  return { property, type: type === 'person' ? 'person' : 'event' };
}

// The breakdowns a query's breakdownFilter holds (the list form first, as PostHog reads it).
export function breakdownsFromRaw(raw: any): Breakdown[] {
  if (!raw || typeof raw !== 'object') return [];
  if (Array.isArray(raw.breakdowns) && raw.breakdowns.length) {
    return raw.breakdowns
      .map((b: any) => b && typeof b === 'object' ? breakdownOf(b.property, b.type, b.group_type_index)
                                                  : null)
      .filter((b: Breakdown | null): b is Breakdown => b !== null)
      .slice(0, MAX_BREAKDOWNS);
  }
  const one = breakdownOf(raw.breakdown, raw.breakdown_type, raw.breakdown_group_type_index);
  return one ? [one] : [];
}

// The BreakdownFilter of a list of breakdowns; none for an empty list.
export function filterOfBreakdowns(list: Breakdown[]): BreakdownFilter | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) {
    const [b] = list;
    const filter: BreakdownFilter = { breakdown: b.property, breakdown_type: b.type };
    if (b.type === 'group') filter.breakdown_group_type_index = b.group_type_index;
    return filter;
  }
  return { breakdowns: list.slice(0, MAX_BREAKDOWNS).map((b) => b.type === 'group'
    ? { property: b.property, type: b.type, group_type_index: b.group_type_index }
    : { property: b.property, type: b.type }) };
}

// A line's breakdown value as its label shows it: several values joined by "::".
export function breakdownText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('::') : String(value);
}
