// PostHog's property filters as the Trends editor keeps them: one filter {key, type, operator,
// value}, a series' flat list of them (an AND), and the query's AND/OR groups
// ({type, values: [{type, values: [filter…]}…]}). A cohort filter is {key: "id", type: "cohort",
// operator: "in" | "not_in", value: <cohort id>}: the persons in (or not in) that cohort. A HogQL
// filter is {key: <expression>, type: "hogql"}: the events on which the expression holds. Parsing
// is lenient: malformed filters are dropped, so a hand-edited link still opens.

export type PropertyOperator = 'exact' | 'is_not' | 'icontains' | 'not_icontains' | 'regex'
  | 'not_regex' | 'gt' | 'lt' | 'is_set' | 'is_not_set' | CohortOperator;
export type CohortOperator = 'in' | 'not_in';
export type PropertyType = 'event' | 'person' | 'cohort' | 'hogql';
export type FilterValue = string | number | (string | number)[];

export interface PropertyFilter {
  key: string;  // a HogQL filter's expression
  type: PropertyType;
  operator?: PropertyOperator;  // none on a HogQL filter
  value?: FilterValue;
}

export type GroupType = 'AND' | 'OR';
export interface PropertyGroup { type: GroupType; values: PropertyFilter[] }
export interface PropertyGroups { type: GroupType; values: PropertyGroup[] }

export const OPERATORS: { value: PropertyOperator; label: string }[] = [
  { value: 'exact', label: '= equals' },
  { value: 'is_not', label: '≠ does not equal' },
  { value: 'icontains', label: '∋ contains' },
  { value: 'not_icontains', label: '∌ does not contain' },
  { value: 'regex', label: '~ matches regex' },
  { value: 'not_regex', label: '≁ does not match regex' },
  { value: 'gt', label: '> greater than' },
  { value: 'lt', label: '< less than' },
  { value: 'is_set', label: 'is set' },
  { value: 'is_not_set', label: 'is not set' },
];

export const COHORT_OPERATORS: { value: CohortOperator; label: string }[] = [
  { value: 'in', label: 'in cohort' },
  { value: 'not_in', label: 'not in cohort' },
];

// Operators that take a typed value (a cohort filter's value is the cohort picked, not typed).
export function operatorTakesValue(operator: PropertyOperator): boolean {
  return operator !== 'is_set' && operator !== 'is_not_set' && operator !== 'in'
    && operator !== 'not_in';
}

// The filter keeping the events on which `expression` holds, e.g. "properties.$browser = 'Chrome'".
export function hogqlFilter(expression: string): PropertyFilter {
  return { key: expression, type: 'hogql' };
}

// The filter keeping the persons in cohort `id`.
export function cohortFilter(id: number, operator: CohortOperator = 'in'): PropertyFilter {
  return { key: 'id', type: 'cohort', operator, value: id };
}

// The value a filter sends for what was typed: a list for exact / is_not (PostHog's shape), a
// number for gt / lt when it is one, the text otherwise; none for is_set / is_not_set.
export function filterValue(operator: PropertyOperator, text: string): FilterValue | undefined {
  if (!operatorTakesValue(operator)) return undefined;
  if (operator === 'exact' || operator === 'is_not') return text === '' ? [] : [text];
  if ((operator === 'gt' || operator === 'lt') && text.trim() !== '' && Number.isFinite(Number(text))) {
    return Number(text);
  }
  return text;
}

// The text an input shows for a filter's value.
export function valueText(value: FilterValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

export function filterFromRaw(raw: any): PropertyFilter | null {
  if (!raw || typeof raw !== 'object' || typeof raw.key !== 'string' || !raw.key) return null;
  if (raw.type === 'cohort') {
    const id = Number(raw.value);
    return Number.isSafeInteger(id) && id > 0
      ? cohortFilter(id, raw.operator === 'not_in' ? 'not_in' : 'in') : null;
  }
  if (raw.type === 'hogql') return hogqlFilter(raw.key);
  if (raw.type !== 'event' && raw.type !== 'person') return null;
  const operator = OPERATORS.some((o) => o.value === raw.operator)
    ? raw.operator as PropertyOperator : 'exact';
  const filter: PropertyFilter = { key: raw.key, type: raw.type, operator };
  if (!operatorTakesValue(operator)) return filter;
  const value = raw.value;
  if (typeof value === 'string' || typeof value === 'number') filter.value = value;
  else if (Array.isArray(value)) {
    filter.value = value.filter((v: unknown) => typeof v === 'string' || typeof v === 'number');
  } else filter.value = operator === 'exact' || operator === 'is_not' ? [] : '';
  return filter;
}

export function filtersFromRaw(raw: any): PropertyFilter[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(filterFromRaw).filter((f): f is PropertyFilter => f !== null);
}

function groupType(raw: any): GroupType {
  return raw === 'OR' ? 'OR' : 'AND';
}

// The query's `properties`: AND/OR groups, or a flat list (one AND group). Empty groups stay (the
// editor shows them), filters that are not event, person, cohort or HogQL filters are dropped.
export function groupsFromRaw(raw: any): PropertyGroups | undefined {
  if (Array.isArray(raw)) {
    const values = filtersFromRaw(raw);
    return values.length ? { type: 'AND', values: [{ type: 'AND', values }] } : undefined;
  }
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.values)) return undefined;
  const groups: PropertyGroup[] = raw.values
    .filter((g: any) => g && typeof g === 'object')
    .map((g: any): PropertyGroup => Array.isArray(g.values)
      ? { type: groupType(g.type), values: filtersFromRaw(g.values) }
      : { type: 'AND', values: filtersFromRaw([g]) });
  return groups.length ? { type: groupType(raw.type), values: groups.slice(0, 20) } : undefined;
}
