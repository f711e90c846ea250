// A feature flag as the editor holds it, and its conversion to and from PostHog's `filters`:
// condition sets (person or group property filters and a rollout percentage), multivariate
// variants, payloads (JSON per variant, or for `true`), cohort filters, dependencies on other
// flags, the group type the flag aggregates by and whether a person keeps its value across
// identification (experience continuity). What the editor does not show (a condition set's own
// aggregation, holdouts, a filter of a shape it does not know, …) is kept as it came and written
// back unchanged.

export interface PropertyFilterJson {
  key: string;
  value?: unknown;
  operator?: string | null;
  type?: string;
  group_type_index?: number;
  [other: string]: unknown;
}

export interface ConditionJson {
  properties?: PropertyFilterJson[];
  rollout_percentage?: number | null;
  variant?: string | null;
  [other: string]: unknown;
}

export interface VariantJson { key: string; name?: string; rollout_percentage: number }

export interface FlagFilters {
  groups?: ConditionJson[];
  multivariate?: { variants: VariantJson[] } | null;
  payloads?: Record<string, string>;
  aggregation_group_type_index?: number | null;
  [other: string]: unknown;
}

export interface FeatureFlag {
  id: number;
  key: string;
  name: string;
  active: boolean;
  filters: FlagFilters;
  ensure_experience_continuity?: boolean;
}

// The operators of the server's flag engine (docs/flags.md) that compare a property's value.
export const OPERATORS: { value: string; label: string }[] = [
  { value: 'exact', label: 'equals' },
  { value: 'is_not', label: "doesn't equal" },
  { value: 'icontains', label: 'contains' },
  { value: 'not_icontains', label: "doesn't contain" },
  { value: 'regex', label: 'matches regex' },
  { value: 'not_regex', label: "doesn't match regex" },
  { value: 'gt', label: 'greater than' },
  { value: 'gte', label: 'greater than or equal' },
  { value: 'lt', label: 'less than' },
  { value: 'lte', label: 'less than or equal' },
  { value: 'is_set', label: 'is set' },
  { value: 'is_not_set', label: 'is not set' },
  { value: 'is_date_before', label: 'before date' },
  { value: 'is_date_after', label: 'after date' },
  { value: 'is_date_exact', label: 'on date' },
  { value: 'semver_eq', label: 'semver =' },
  { value: 'semver_neq', label: 'semver ≠' },
  { value: 'semver_gt', label: 'semver >' },
  { value: 'semver_gte', label: 'semver ≥' },
  { value: 'semver_lt', label: 'semver <' },
  { value: 'semver_lte', label: 'semver ≤' },
  { value: 'semver_tilde', label: 'semver ~' },
  { value: 'semver_caret', label: 'semver ^' },
  { value: 'semver_wildcard', label: 'semver wildcard' },
];

// exact and is_not take a list of values (any of them), written comma-separated.
const LIST_OPERATORS = ['exact', 'is_not'];
export const VALUELESS_OPERATORS = ['is_set', 'is_not_set'];

// One editable property filter; `original` keeps the fields the editor does not show.
export interface PropertyRow { kind: 'property'; key: string; operator: string; value: string;
                               original: PropertyFilterJson | null }
// The persons in (or, negated, not in) a cohort: PostHog's {key: "id", type: "cohort", value:
// <cohort id>, operator: "in" | "not_in"}.
export interface CohortRow { kind: 'cohort'; cohort: string; negated: boolean;
                             original: PropertyFilterJson | null }
// Another flag's value for the person: {key: "<flag id>", type: "flag", value: true | false |
// "<variant>", operator: "flag_evaluates_to"}; `value` is "true", "false" or the variant's key.
export interface FlagRow { kind: 'flag'; flag: string; value: string;
                           original: PropertyFilterJson | null }
// A filter of a shape the editor does not know: shown, kept, not edited.
export interface KeptFilter { kind: 'kept'; kept: PropertyFilterJson }
export type FilterRow = PropertyRow | CohortRow | FlagRow | KeptFilter;
export interface ConditionForm {
  properties: FilterRow[];
  rollout: string;           // a percentage, as typed
  variant: string;           // '' for none
  original: ConditionJson;   // what the editor does not show
}
export interface VariantForm { key: string; name: string; rollout: string; payload: string }
export interface FlagForm {
  key: string;
  name: string;
  active: boolean;
  aggregation: number | null;     // group type index; null: persons
  multivariate: boolean;
  variants: VariantForm[];
  payloadTrue: string;            // JSON text (a variant's is in its VariantForm)
  conditions: ConditionForm[];
  continuity: boolean;            // ensure_experience_continuity
  original: FlagFilters;
}

// The cohort and flag filters of a stored filter, or null when it is another kind or a shape
// the editor does not know.
function cohortRow(p: PropertyFilterJson): CohortRow | null {
  const id = typeof p.value === 'number' ? p.value
    : typeof p.value === 'string' && /^\d+$/.test(p.value) ? Number(p.value) : NaN;
  const operator = p.operator ?? 'in';
  if (p.type !== 'cohort' || !Number.isInteger(id) || (operator !== 'in' && operator !== 'not_in')) {
    return null;
  }
  return { kind: 'cohort', cohort: String(id), negated: operator === 'not_in', original: p };
}

function flagRow(p: PropertyFilterJson): FlagRow | null {
  if (p.type !== 'flag' || (p.operator ?? 'flag_evaluates_to') !== 'flag_evaluates_to'
      || !/^\d+$/.test(String(p.key)) || (typeof p.value !== 'boolean' && typeof p.value !== 'string')
      || p.value === '') {
    return null;
  }
  return { kind: 'flag', flag: String(p.key), value: String(p.value), original: p };
}

function filterRow(p: PropertyFilterJson): FilterRow {
  if (p.type === 'cohort') return cohortRow(p) ?? { kind: 'kept', kept: p };
  if (p.type === 'flag') return flagRow(p) ?? { kind: 'kept', kept: p };
  return { kind: 'property', key: String(p.key ?? ''), operator: p.operator ?? 'exact',
           value: valueText(p.value), original: p };
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    .join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function payloadText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function emptyCondition(): ConditionForm {
  return { properties: [], rollout: '100', variant: '', original: {} };
}

export function newFlagForm(): FlagForm {
  return {
    key: '', name: '', active: true, aggregation: null, multivariate: false,
    variants: [{ key: 'control', name: '', rollout: '50', payload: '' },
               { key: 'test', name: '', rollout: '50', payload: '' }],
    payloadTrue: '', conditions: [emptyCondition()], continuity: false, original: {},
  };
}

export function formFromFlag(flag: FeatureFlag): FlagForm {
  const filters = flag.filters ?? {};
  const variants = filters.multivariate?.variants ?? [];
  const payloads: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters.payloads ?? {})) {
    payloads[key] = payloadText(value);
  }
  return {
    key: flag.key,
    name: flag.name ?? '',
    active: flag.active,
    aggregation: typeof filters.aggregation_group_type_index === 'number'
      ? filters.aggregation_group_type_index : null,
    multivariate: variants.length > 0,
    variants: variants.length > 0
      ? variants.map((v) => ({ key: v.key, name: v.name ?? '', rollout: String(v.rollout_percentage),
                               payload: payloads[v.key] ?? '' }))
      : newFlagForm().variants,
    payloadTrue: payloads['true'] ?? '',
    conditions: (filters.groups ?? []).map((group) => ({
      properties: (group.properties ?? []).map(filterRow),
      rollout: group.rollout_percentage === null || group.rollout_percentage === undefined
        ? '100' : String(group.rollout_percentage),
      variant: group.variant ?? '',
      original: group,
    })),
    continuity: flag.ensure_experience_continuity === true,
    original: filters,
  };
}

// A filter's value as the server's engine reads it for `operator`.
function filterValue(operator: string, text: string): unknown {
  if (VALUELESS_OPERATORS.includes(operator)) return operator;
  if (LIST_OPERATORS.includes(operator)) {
    return text.split(',').map((v) => v.trim()).filter((v) => v !== '');
  }
  return text.trim();
}

// What is wrong with the form, by field ('' when nothing is): the messages the page shows.
export interface FormErrors { [field: string]: string }

function percentage(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}

export function validateForm(form: FlagForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.key) errors.key = 'A flag needs a key.';
  else if (!/^[A-Za-z0-9_-]+$/.test(form.key)) {
    errors.key = 'Only letters, numbers, hyphens (-) and underscores (_) are allowed.';
  }
  if (form.conditions.length === 0) errors.conditions = 'Add at least one condition set.';
  form.conditions.forEach((condition, i) => {
    if (percentage(condition.rollout) === null) {
      errors[`condition-${i}-rollout`] = 'The rollout is a percentage from 0 to 100.';
    }
    condition.properties.forEach((row, j) => {
      const field = `condition-${i}-property-${j}`;
      if (row.kind === 'cohort' || row.kind === 'flag') {
        if (form.aggregation !== null) {
          errors[field] = `${row.kind === 'cohort' ? 'Cohort filters' : 'Flag dependencies'} ` +
            'match persons: this flag matches groups.';
        } else if (row.kind === 'cohort' && !row.cohort) {
          errors[field] = 'Pick a cohort.';
        } else if (row.kind === 'flag' && !row.flag) {
          errors[field] = 'Pick the flag this one depends on.';
        } else if (row.kind === 'flag' && !row.value) {
          errors[field] = 'Pick the value the other flag must have.';
        }
        return;
      }
      if (row.kind !== 'property') return;
      if (!row.key.trim()) errors[field] = 'Name the property.';
      else if (!VALUELESS_OPERATORS.includes(row.operator) && row.value.trim() === '') {
        errors[field] = `Give a value for ${row.key}.`;
      }
    });
  });
  if (form.multivariate) {
    const keys = form.variants.map((v) => v.key);
    if (form.variants.length === 0) errors.variants = 'Add at least one variant.';
    form.variants.forEach((variant, i) => {
      if (!variant.key) errors[`variant-${i}`] = 'A variant needs a key.';
      else if (!/^[A-Za-z0-9_-]+$/.test(variant.key)) {
        errors[`variant-${i}`] = 'Only letters, numbers, hyphens (-) and underscores (_) are allowed.';
      } else if (keys.indexOf(variant.key) !== i) {
        errors[`variant-${i}`] = `The key ${variant.key} is used twice.`;
      } else if (percentage(variant.rollout) === null) {
        errors[`variant-${i}`] = 'The rollout is a percentage from 0 to 100.';
      }
    });
    const sum = form.variants.reduce((total, v) => total + (Number(v.rollout) || 0), 0);
    if (!errors.variants && Math.abs(sum - 100) > 1e-9) {
      errors.variants = `Variant rollout percentages must sum to 100 (they sum to ${
        Math.round(sum * 100) / 100}).`;
    }
    form.conditions.forEach((condition, i) => {
      if (condition.variant && !keys.includes(condition.variant)) {
        errors[`condition-${i}-variant`] = `There is no variant ${condition.variant}.`;
      }
    });
  }
  const checkJson = (field: string, text: string) => {
    if (text.trim() === '') return;
    try {
      JSON.parse(text);
    } catch {
      errors[field] = 'The payload is not valid JSON.';
    }
  };
  if (form.multivariate) {
    form.variants.forEach((v, i) => checkJson(`payload-${i}`, v.payload));
  } else {
    checkJson('payload-true', form.payloadTrue);
  }
  return errors;
}

// The request body for POST or PATCH: PostHog's flag fields, with `filters` rebuilt from the
// form and what the editor does not show kept.
// A cohort or flag filter as stored: the original when the row still says what it said.
function cohortJson(row: CohortRow): PropertyFilterJson {
  const before = row.original && cohortRow(row.original);
  if (before && before.cohort === row.cohort && before.negated === row.negated) {
    return row.original as PropertyFilterJson;
  }
  return { ...row.original, key: 'id', type: 'cohort', value: Number(row.cohort),
           operator: row.negated ? 'not_in' : 'in' };
}

function flagJson(row: FlagRow): PropertyFilterJson {
  const before = row.original && flagRow(row.original);
  if (before && before.flag === row.flag && before.value === row.value) {
    return row.original as PropertyFilterJson;
  }
  const value = row.value === 'true' ? true : row.value === 'false' ? false : row.value;
  return { ...row.original, key: row.flag, type: 'flag', value, operator: 'flag_evaluates_to' };
}

export function flagBody(form: FlagForm): { key: string; name: string; active: boolean;
                                            ensure_experience_continuity: boolean;
                                            filters: FlagFilters } {
  const propertyType = form.aggregation === null
    ? { type: 'person' } : { type: 'group', group_type_index: form.aggregation };
  const groups: ConditionJson[] = form.conditions.map((condition) => {
    const group: ConditionJson = {
      ...condition.original,
      properties: condition.properties.map((row) => {
        if (row.kind === 'kept') return row.kept;
        if (row.kind === 'cohort') return cohortJson(row);
        if (row.kind === 'flag') return flagJson(row);
        const { group_type_index: _index, ...original } = row.original ?? {};
        return { ...original, key: row.key.trim(), operator: row.operator,
                 value: filterValue(row.operator, row.value), ...propertyType };
      }),
      rollout_percentage: percentage(condition.rollout) ?? 100,
    };
    if (form.multivariate) group.variant = condition.variant || null;
    else delete group.variant;
    return group;
  });
  const payloads: Record<string, string> = {};
  if (form.multivariate) {
    for (const variant of form.variants) {
      const text = variant.payload.trim();
      if (text) payloads[variant.key] = text;
    }
  } else if (form.payloadTrue.trim()) {
    payloads['true'] = form.payloadTrue.trim();
  }
  const filters: FlagFilters = {
    ...form.original,
    groups,
    multivariate: form.multivariate ? {
      variants: form.variants.map((v) => ({ key: v.key, name: v.name,
                                            rollout_percentage: Number(v.rollout) })),
    } : null,
    payloads,
    aggregation_group_type_index: form.aggregation,
  };
  return { key: form.key, name: form.name, active: form.active,
           ensure_experience_continuity: form.aggregation === null && form.continuity, filters };
}

// Shares of 100 spread as evenly as whole numbers allow (the first ones get the remainder).
export function evenShares(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

// "50% of persons where plan = pro; 100% of everyone"
export function describeConditions(flag: FeatureFlag): string {
  const groups = flag.filters.groups ?? [];
  if (groups.length === 0) return 'nobody';
  const who = typeof flag.filters.aggregation_group_type_index === 'number' ? 'groups' : 'persons';
  return groups.map((group) => {
    const share = group.rollout_percentage ?? 100;
    const where = (group.properties ?? [])
      .map((p) => `${p.key} ${p.operator ?? 'exact'} ${JSON.stringify(p.value)}`).join(' and ');
    return `${share}% of ${where ? `${who} where ${where}` : 'everyone'}`;
  }).join('; ') + (flag.filters.multivariate ? ` (variants: ${flag.filters.multivariate.variants
    .map((v) => v.key).join(', ')})` : '');
}
