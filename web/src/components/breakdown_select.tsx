// The breakdown controls of the insight editors: for Funnels and Retention no breakdown or one
// event property from the project's property definitions; for Trends up to three breakdowns,
// each an event property, a property of the person now, or a property of one group type (the
// group type picked first, then its property).
import { useState } from 'preact/hooks';
import {
  Breakdown, BreakdownFilter as TrendsBreakdownFilter, breakdownsFromRaw, filterOfBreakdowns,
  MAX_BREAKDOWNS,
} from '../breakdown_filter';
import type { GroupType } from '../property_suggestions';
import type { QueryUpdate } from '../query_edit';
import { Option, Select, withCurrent } from './select';

export interface BreakdownFilter { breakdown: string; breakdown_type: 'event' }

export function BreakdownSelect({ properties, value, onChange }: {
  properties: string[]; value: BreakdownFilter | undefined;
  onChange: (filter: BreakdownFilter | undefined) => void;
}) {
  return (
    <Select label="Breakdown by" testid="breakdown" value={value?.breakdown ?? ''}
            options={[{ value: '', label: 'No breakdown' },
                      ...properties.map((name) => ({ value: name, label: name }))]}
            onChange={(picked) => onChange(picked ? { breakdown: picked, breakdown_type: 'event' }
                                                  : undefined)} />
  );
}

// The breakdown select of an editor whose query has an event property breakdown.
export function QueryBreakdown<Q extends { breakdownFilter?: BreakdownFilter }>({
  properties, query, update,
}: { properties: string[]; query: Q; update: QueryUpdate<Q> }) {
  return (
    <BreakdownSelect properties={properties} value={query.breakdownFilter}
                     onChange={(filter) => update((q) => {
                       if (filter) q.breakdownFilter = filter;
                       else delete q.breakdownFilter;
                     })} />
  );
}

// The breakdown filter of a query's JSON, when it names a property.
export function breakdownFromRaw(raw: any): BreakdownFilter | undefined {
  const breakdown = raw?.breakdownFilter?.breakdown;
  return typeof breakdown === 'string' && breakdown
    ? { breakdown, breakdown_type: 'event' } : undefined;
}

// What a Trends breakdown can be on.
export interface BreakdownSources {
  event: string[];
  person: string[];
  groupTypes: GroupType[];
  groupProperties: Record<number, string[]>;  // by group_type_index
}

// The "Breakdown by" select's value of a breakdown: "<name>", "person:<name>" or "group:<index>".
function sourceOf(b: Breakdown): string {
  if (b.type === 'person') return `person:${b.property}`;
  if (b.type === 'group') return `group:${b.group_type_index}`;
  return b.property;
}

function groupTypeName(sources: BreakdownSources, index: number): string {
  return sources.groupTypes.find((t) => t.group_type_index === index)?.group_type
    ?? `Group ${index}`;
}

// The Trends breakdowns: a row per breakdown, the first one's select offering "No breakdown".
export function TrendsBreakdowns({ sources, value, onChange }: {
  sources: BreakdownSources; value: TrendsBreakdownFilter | undefined;
  onChange: (filter: TrendsBreakdownFilter | undefined) => void;
}) {
  const list = breakdownsFromRaw(value);
  const set = (next: Breakdown[]) => onChange(filterOfBreakdowns(next));
  // Row i picked (the first row of none adds the first breakdown) or removed.
  const change = (i: number, picked: Breakdown | null) => {
    const next = [...list];
    if (picked) next[i] = picked;
    else next.splice(i, 1);
    set(next);
  };
  const rows = list.length ? list : [null];
  const unused = [...sources.event.map((p): Breakdown => ({ property: p, type: 'event' })),
                  ...sources.person.map((p): Breakdown => ({ property: p, type: 'person' }))]
    .find((b) => !list.some((l) => l.type === b.type && l.property === b.property));
  return (
    <div class="breakdowns" data-testid="breakdowns">
      {rows.map((b, i) => (
        // Keyed by its breakdown too: a group type left pending goes when the query changes.
        <BreakdownRow key={`${i}/${b ? `${sourceOf(b)}/${b.property}` : ''}`} index={i}
                      sources={sources} value={b}
                      onChange={(picked) => change(i, picked)} />
      ))}
      {list.length > 0 && list.length < MAX_BREAKDOWNS && unused && (
        <button type="button" class="link" data-testid="add-breakdown"
                onClick={() => set([...list, unused])}>+ Add breakdown</button>
      )}
    </div>
  );
}

// One breakdown: its source (an event or person property, or a group type) and, for a group
// type, which of its properties. A group type picked without its property yet changes nothing.
function BreakdownRow({ index, sources, value, onChange }: {
  index: number; sources: BreakdownSources; value: Breakdown | null;
  onChange: (breakdown: Breakdown | null) => void;
}) {
  const [pendingGroup, setPendingGroup] = useState<number | null>(null);
  const testid = index === 0 ? 'breakdown' : `breakdown-${index}`;
  const group = pendingGroup ?? (value?.type === 'group' ? value.group_type_index! : null);
  const current = pendingGroup !== null ? `group:${pendingGroup}` : value ? sourceOf(value) : '';
  const options: Option[] = [
    ...(index === 0 ? [{ value: '', label: 'No breakdown' }] : []),
    ...sources.event.map((name) => ({ value: name, label: name })),
    ...sources.person.map((name) => ({ value: `person:${name}`, label: `Person: ${name}` })),
    ...sources.groupTypes.map((t) => ({ value: `group:${t.group_type_index}`,
                                        label: `Group: ${t.group_type}` })),
  ];
  const groupProperty = value?.type === 'group' && value.group_type_index === group
    ? value.property : '';
  return (
    <div class="breakdown-row" data-testid={`${testid}-row`}>
      <Select label={index === 0 ? 'Breakdown by' : 'and by'} testid={testid} value={current}
              options={withCurrent(options, current)}
              onChange={(picked) => {
                if (picked.startsWith('group:')) {
                  const pickedIndex = Number(picked.slice('group:'.length));
                  setPendingGroup(value?.type === 'group' && value.group_type_index === pickedIndex
                    ? null : pickedIndex);
                  return;
                }
                setPendingGroup(null);
                onChange(!picked ? null : picked.startsWith('person:')
                  ? { property: picked.slice('person:'.length), type: 'person' }
                  : { property: picked, type: 'event' });
              }} />
      {group !== null && (
        <Select label={`${groupTypeName(sources, group)} property`}
                testid={`${testid}-group-property`} value={groupProperty}
                options={withCurrent([{ value: '', label: 'Pick a property' },
                                      ...(sources.groupProperties[group] ?? [])
                                        .map((name) => ({ value: name, label: name }))],
                                     groupProperty)}
                onChange={(picked) => {
                  if (!picked) return;
                  setPendingGroup(null);
                  onChange({ property: picked, type: 'group', group_type_index: group });
                }} />
      )}
      {index > 0 && (
        <button type="button" class="link" data-testid={`${testid}-remove`}
                aria-label="Remove breakdown" onClick={() => onChange(null)}>×</button>
      )}
    </div>
  );
}
