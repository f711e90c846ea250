// The property filters of the Trends editor: one filter row (an event or person property from
// the definitions, an operator, a value with suggestions of the values seen as it is typed; a
// cohort, in or not in it; or a HogQL expression), a series' list of them, and the query's AND/OR
// groups of them.
// Property names, values and cohort names come from SDKs and users and are rendered as text
// (option labels, input values).
import { useState } from 'preact/hooks';
import type { Project } from '../api';
import {
  COHORT_OPERATORS, CohortOperator, cohortFilter, filterValue, GroupType, hogqlFilter,
  operatorTakesValue, OPERATORS, PropertyFilter, PropertyGroups, PropertyOperator, valueText,
} from '../property_filters';
import { usePropertyOptionSearch } from '../definitions';
import { usePropertyValues } from '../property_suggestions';
import { SearchSelect } from './search_select';
import { Option, Select } from './select';

export interface CohortName { id: number; name: string }

// What a filter can be on: event and person property names, the project's cohorts (none where
// cohorts are not offered) and, with `hogql`, a HogQL expression.
export interface PropertyNames {
  event: string[]; person: string[]; cohorts?: CohortName[]; hogql?: boolean;
}

// The key select's value of a filter: "event:<name>", "person:<name>", "cohort:<id>" or "hogql:".
function keyOf(filter: PropertyFilter): string {
  if (filter.type === 'hogql') return HOGQL_KEY;
  return filter.type === 'cohort' ? `cohort:${String(filter.value)}` : `${filter.type}:${filter.key}`;
}

const HOGQL_KEY = 'hogql:';
// What a new HogQL filter holds: true for every event, until it is edited.
const NEW_EXPRESSION = 'true';

function keyOptions(names: PropertyNames, current?: PropertyFilter): Option[] {
  const options: Option[] = [
    ...names.event.map((name) => ({ value: `event:${name}`, label: name })),
    ...names.person.map((name) => ({ value: `person:${name}`, label: `Person: ${name}` })),
    ...(names.cohorts ?? []).map((c) => ({ value: `cohort:${c.id}`, label: `Cohort: ${c.name}` })),
    ...(names.hogql ? [{ value: HOGQL_KEY, label: 'HogQL expression' }] : []),
  ];
  if (current && !options.some((o) => o.value === keyOf(current))) {
    options.push({ value: keyOf(current),
                   label: current.type === 'person' ? `Person: ${current.key}`
                     : current.type === 'cohort' ? `Cohort ${String(current.value)}` : current.key });
  }
  return options;
}

// The filter a key picked in the select starts as: a cohort's "in", a HogQL expression that
// holds for every event, or the property with the operator kept (a cohort's or HogQL filter's
// becomes "equals").
function filterForKey(picked: string, previous: PropertyFilter): PropertyFilter {
  const colon = picked.indexOf(':');
  const type = picked.slice(0, colon);
  const key = picked.slice(colon + 1);
  if (type === 'cohort') return cohortFilter(Number(key));
  if (type === 'hogql') return hogqlFilter(NEW_EXPRESSION);
  const operator = previous.type === 'cohort' || !previous.operator ? 'exact' : previous.operator;
  return { type: type === 'person' ? 'person' : 'event', key, operator,
           value: filterValue(operator, '') };
}

export function PropertyFilterRow({ project, names, filter, testid, onChange, onRemove }: {
  project: Project; names: PropertyNames; filter: PropertyFilter; testid: string;
  onChange: (filter: PropertyFilter) => void; onRemove: () => void;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const cohort = filter.type === 'cohort';
  const hogql = filter.type === 'hogql';
  const operator = filter.operator ?? 'exact';
  const text = typed ?? valueText(filter.value);
  const suggestions = usePropertyValues(project, filter.type === 'person' ? 'person' : 'event',
                                        cohort || hogql ? '' : filter.key, typed ?? '');
  const listId = `${testid}-values`;
  const search = usePropertyOptionSearch('event:', names.person.length > 0);
  const commit = (value: string) => {
    setTyped(null);
    onChange({ ...filter, value: filterValue(operator, value) });
  };
  const keySelect = (
    <SearchSelect label={cohort ? 'Cohort' : 'Property'} testid={`${testid}-key`}
                  value={keyOf(filter)} options={keyOptions(names, filter)} search={search}
                  onChange={(picked) => {
                    setTyped(null);
                    onChange(filterForKey(picked, filter));
                  }} />
  );
  const remove = (
    <button type="button" class="link" data-testid={`${testid}-remove`} aria-label="Remove filter"
            onClick={onRemove}>×</button>
  );
  if (hogql) {
    // The expression is sent once it is committed (Enter or leaving the box), not as it is typed.
    return (
      <div class="property-filter" data-testid={testid}>
        {keySelect}
        <label class="control hogql-expression">
          <span>Expression</span>
          <input type="text" data-testid={`${testid}-expression`} value={typed ?? filter.key}
                 spellcheck={false} autocomplete="off" placeholder="properties.$browser = 'Chrome'"
                 onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
                 onChange={(e) => {
                   const expression = (e.target as HTMLInputElement).value.trim();
                   setTyped(null);
                   if (expression) onChange(hogqlFilter(expression));
                 }} />
        </label>
        {remove}
      </div>
    );
  }
  return (
    <div class="property-filter" data-testid={testid}>
      {keySelect}
      <Select label="Operator" testid={`${testid}-operator`} value={operator}
              options={cohort ? COHORT_OPERATORS : OPERATORS}
              onChange={(picked) => {
                if (cohort) {
                  onChange(cohortFilter(Number(filter.value), picked as CohortOperator));
                  return;
                }
                const operator = picked as PropertyOperator;
                onChange({ ...filter, operator, value: filterValue(operator, text) });
              }} />
      {operatorTakesValue(operator) && (
        <label class="control">
          <span>Value</span>
          <input type="text" data-testid={`${testid}-value`} value={text} list={listId}
                 autocomplete="off"
                 onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
                 onChange={(e) => commit((e.target as HTMLInputElement).value)} />
          <datalist id={listId} data-testid={`${testid}-suggestions`}>
            {suggestions.map((value) => <option key={value} value={value} />)}
          </datalist>
        </label>
      )}
      {remove}
    </div>
  );
}

// A new filter: the first property, "is set" (it narrows nothing until it is edited).
function newFilter(names: PropertyNames): PropertyFilter {
  return { key: names.event[0] ?? names.person[0] ?? '$browser',
           type: names.event.length || !names.person.length ? 'event' : 'person',
           operator: 'is_set' };
}

// A flat list of filters (a series' properties: all must hold).
export function PropertyFilterList({ project, names, filters, testid, onChange }: {
  project: Project; names: PropertyNames; filters: PropertyFilter[]; testid: string;
  onChange: (filters: PropertyFilter[]) => void;
}) {
  return (
    <div class="property-filters" data-testid={testid}>
      {filters.map((filter, i) => (
        <PropertyFilterRow key={i} project={project} names={names} filter={filter}
                           testid={`${testid}-${i}`}
                           onChange={(changed) => onChange(filters.map((f, j) => j === i ? changed : f))}
                           onRemove={() => onChange(filters.filter((_, j) => j !== i))} />
      ))}
      <button type="button" class="link" data-testid={`${testid}-add`}
              onClick={() => onChange([...filters, newFilter(names)])}>+ Filter</button>
    </div>
  );
}

const MATCH: Option[] = [{ value: 'AND', label: 'all' }, { value: 'OR', label: 'any' }];

// The query's filter groups: the groups joined by AND or OR, each group's filters by its own.
export function PropertyGroupsEditor({ project, names, groups, onChange }: {
  project: Project; names: PropertyNames; groups: PropertyGroups | undefined;
  onChange: (groups: PropertyGroups) => void;
}) {
  const value: PropertyGroups = groups ?? { type: 'AND', values: [] };
  const setGroup = (i: number, change: Partial<PropertyGroups['values'][number]>) =>
    onChange({ ...value, values: value.values.map((g, j) => j === i ? { ...g, ...change } : g) });
  return (
    <div class="filter-groups" data-testid="filter-groups">
      {value.values.length > 1 && (
        <Select label="Match groups" testid="filter-groups-type" value={value.type} options={MATCH}
                onChange={(picked) => onChange({ ...value, type: picked as GroupType })} />
      )}
      {value.values.map((group, i) => (
        <div class="filter-group" key={i} data-testid={`filter-group-${i}`}>
          <div class="filter-group-head">
            <Select label="Match filters" testid={`filter-group-${i}-type`} value={group.type}
                    options={MATCH}
                    onChange={(picked) => setGroup(i, { type: picked as GroupType })} />
            <button type="button" class="link" data-testid={`filter-group-${i}-remove`}
                    onClick={() => onChange({ ...value,
                                              values: value.values.filter((_, j) => j !== i) })}>
              Remove group</button>
          </div>
          <PropertyFilterList project={project} names={names} filters={group.values}
                              testid={`filter-group-${i}-filters`}
                              onChange={(filters) => setGroup(i, { values: filters })} />
        </div>
      ))}
      <button type="button" class="link" data-testid="filter-groups-add"
              onClick={() => onChange({ ...value, values: [...value.values,
                                                           { type: 'AND', values: [newFilter(names)] }] })}>
        + Filter group</button>
    </div>
  );
}
