// The property filters of the Trends editor: one filter row (an event or person property from
// the definitions, an operator, a value with suggestions of the values seen as it is typed), a
// series' list of them, and the query's AND/OR groups of them. Property names and values come
// from SDKs and are rendered as text (option labels, input values).
import { useState } from 'preact/hooks';
import type { Project } from '../api';
import {
  filterValue, GroupType, operatorTakesValue, OPERATORS, PropertyFilter, PropertyGroups,
  PropertyOperator, PropertyType, valueText,
} from '../property_filters';
import { usePropertyValues } from '../property_suggestions';
import { Option, Select } from './select';

export interface PropertyNames { event: string[]; person: string[] }

function keyOptions(names: PropertyNames, current?: PropertyFilter): Option[] {
  const options: Option[] = [
    ...names.event.map((name) => ({ value: `event:${name}`, label: name })),
    ...names.person.map((name) => ({ value: `person:${name}`, label: `Person: ${name}` })),
  ];
  if (current && !options.some((o) => o.value === `${current.type}:${current.key}`)) {
    options.push({ value: `${current.type}:${current.key}`,
                   label: current.type === 'person' ? `Person: ${current.key}` : current.key });
  }
  return options;
}

function parseKey(value: string): { type: PropertyType; key: string } {
  const colon = value.indexOf(':');
  return { type: value.slice(0, colon) === 'person' ? 'person' : 'event', key: value.slice(colon + 1) };
}

export function PropertyFilterRow({ project, names, filter, testid, onChange, onRemove }: {
  project: Project; names: PropertyNames; filter: PropertyFilter; testid: string;
  onChange: (filter: PropertyFilter) => void; onRemove: () => void;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? valueText(filter.value);
  const suggestions = usePropertyValues(project, filter.type, filter.key, typed ?? '');
  const listId = `${testid}-values`;
  const commit = (value: string) => {
    setTyped(null);
    onChange({ ...filter, value: filterValue(filter.operator, value) });
  };
  return (
    <div class="property-filter" data-testid={testid}>
      <Select label="Property" testid={`${testid}-key`} value={`${filter.type}:${filter.key}`}
              options={keyOptions(names, filter)}
              onChange={(picked) => onChange({ ...parseKey(picked), operator: filter.operator,
                                               value: filterValue(filter.operator, '') })} />
      <Select label="Operator" testid={`${testid}-operator`} value={filter.operator}
              options={OPERATORS}
              onChange={(picked) => {
                const operator = picked as PropertyOperator;
                onChange({ ...filter, operator, value: filterValue(operator, text) });
              }} />
      {operatorTakesValue(filter.operator) && (
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
      <button type="button" class="link" data-testid={`${testid}-remove`} aria-label="Remove filter"
              onClick={onRemove}>×</button>
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
