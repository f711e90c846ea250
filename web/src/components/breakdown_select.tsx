// The breakdown controls of the insight editors: for Funnels and Retention no breakdown or one
// event property from the project's property definitions; for Trends up to three breakdowns,
// each an event property (a numeric one optionally in histogram bins), a property of the person
// now, a property of one group type (the group type picked first, then its property) or a HogQL
// expression, or else one breakdown by cohorts (the project's cohorts and "All users").
import { useState } from 'preact/hooks';
import {
  Breakdown, BreakdownFilter as TrendsBreakdownFilter, breakdownsFromRaw, CohortRef,
  filterOfBreakdowns, MAX_BIN_COUNT, MAX_BREAKDOWNS, MAX_HOGQL_LENGTH,
} from '../breakdown_filter';
import { groupTypeSingular, type GroupType } from '../property_suggestions';
import { useGroupPropertySearch, usePropertyOptionSearch } from '../definitions';
import type { QueryUpdate } from '../query_edit';
import { SearchSelect } from './search_select';
import { Option, withCurrent } from './select';

export interface BreakdownFilter {
  breakdown: string; breakdown_type: 'event';
  breakdown_limit?: number;  // kept from a link; picking another breakdown drops it
}

export function BreakdownSelect({ properties, value, onChange }: {
  properties: string[]; value: BreakdownFilter | undefined;
  onChange: (filter: BreakdownFilter | undefined) => void;
}) {
  const search = usePropertyOptionSearch('', false);
  return (
    <SearchSelect label="Breakdown by" testid="breakdown" value={value?.breakdown ?? ''}
                  options={[{ value: '', label: 'No breakdown' },
                            ...properties.map((name) => ({ value: name, label: name }))]}
                  search={search}
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

// The breakdown filter of a query's JSON, when it names a property (with its breakdown_limit,
// a whole number from 1 to 10000, when it has one).
export function breakdownFromRaw(raw: any): BreakdownFilter | undefined {
  const breakdown = raw?.breakdownFilter?.breakdown;
  if (typeof breakdown !== 'string' || !breakdown) return undefined;
  const limit = raw.breakdownFilter.breakdown_limit;
  return Number.isInteger(limit) && limit >= 1 && limit <= 10000
    ? { breakdown, breakdown_type: 'event', breakdown_limit: limit }
    : { breakdown, breakdown_type: 'event' };
}

// What a Trends breakdown can be on.
export interface BreakdownSources {
  event: string[];
  numericEvent: string[];  // the event properties whose definitions say Numeric
  person: string[];
  groupTypes: GroupType[];
  groupProperties: Record<number, string[]>;  // by group_type_index
  cohorts: { id: number; name: string }[];
}

// The "Breakdown by" select's value of a breakdown: "<name>", "person:<name>", "group:<index>",
// "hogql" or "cohort".
function sourceOf(b: Breakdown): string {
  if (b.type === 'person') return `person:${b.property}`;
  if (b.type === 'group') return `group:${b.group_type_index}`;
  if (b.type === 'hogql' || b.type === 'cohort') return b.type;
  return b.property;
}

function groupTypeName(sources: BreakdownSources, index: number): string {
  const type = sources.groupTypes.find((t) => t.group_type_index === index);
  return type ? groupTypeSingular(type) : `Group ${index}`;
}

// Whether the server's error `message` names breakdown `index` of `count` (its HogQL expression).
function namesBreakdown(message: string, index: number, count: number): boolean {
  return message.includes(`query.breakdownFilter.breakdowns[${index}]`)
    || (count === 1 && /query\.breakdownFilter\.breakdown(?![s_])/.test(message));
}

// The Trends breakdowns: a row per breakdown, the first one's select offering "No breakdown" and
// "Cohort". `error` is the server's refusal of the query, shown at the expression it names.
export function TrendsBreakdowns({ sources, value, error, onChange }: {
  sources: BreakdownSources; value: TrendsBreakdownFilter | undefined; error?: string;
  onChange: (filter: TrendsBreakdownFilter | undefined) => void;
}) {
  const list = breakdownsFromRaw(value);
  const set = (next: Breakdown[]) => onChange(filterOfBreakdowns(next));
  // Row i picked (the first row of none adds the first breakdown) or removed.
  const change = (i: number, picked: Breakdown | null) => {
    const next = [...list];
    if (picked) next[i] = picked;
    else next.splice(i, 1);
    set(picked?.type === 'cohort' ? [picked] : next);
  };
  const rows = list.length ? list : [null];
  const unused = [...sources.event.map((p): Breakdown => ({ property: p, type: 'event' })),
                  ...sources.person.map((p): Breakdown => ({ property: p, type: 'person' }))]
    .find((b) => !list.some((l) => l.type === b.type && l.property === b.property));
  const cohort = list.some((b) => b.type === 'cohort');
  return (
    <div class="breakdowns" data-testid="breakdowns">
      {rows.map((b, i) => (
        // Keyed by its breakdown too: a pending group type or expression goes when the query
        // changes.
        <BreakdownRow key={`${i}/${b ? `${sourceOf(b)}/${b.property}` : ''}`} index={i}
                      sources={sources} value={b}
                      error={error && b?.type === 'hogql' && namesBreakdown(error, i, list.length)
                        ? error : undefined}
                      onChange={(picked) => change(i, picked)} />
      ))}
      {list.length > 0 && list.length < MAX_BREAKDOWNS && unused && !cohort && (
        <button type="button" class="link" data-testid="add-breakdown"
                onClick={() => set([...list, unused])}>+ Add breakdown</button>
      )}
    </div>
  );
}

// A source picked in the select that needs more before it is a breakdown: a group type (then
// its property), a HogQL expression (then its text), cohorts (then which).
type Pending = { kind: 'group'; index: number } | { kind: 'hogql' } | { kind: 'cohort' };

function pendingValue(pending: Pending): string {
  return pending.kind === 'group' ? `group:${pending.index}` : pending.kind;
}

// One breakdown: its source (an event or person property, a group type, a HogQL expression or
// cohorts) and what that source needs: a group type's property, the expression, the cohorts, or
// a numeric event property's bins. A source picked without the rest yet changes nothing.
function BreakdownRow({ index, sources, value, error, onChange }: {
  index: number; sources: BreakdownSources; value: Breakdown | null; error?: string;
  onChange: (breakdown: Breakdown | null) => void;
}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const testid = index === 0 ? 'breakdown' : `breakdown-${index}`;
  const group = pending ? (pending.kind === 'group' ? pending.index : null)
    : value?.type === 'group' ? value.group_type_index! : null;
  const kind = pending?.kind ?? value?.type ?? null;
  const current = pending ? pendingValue(pending) : value ? sourceOf(value) : '';
  const options: Option[] = [
    ...(index === 0 ? [{ value: '', label: 'No breakdown' }] : []),
    ...sources.event.map((name) => ({ value: name, label: name })),
    ...sources.person.map((name) => ({ value: `person:${name}`, label: `Person: ${name}` })),
    ...sources.groupTypes.map((t) => ({ value: `group:${t.group_type_index}`,
                                        label: `Group: ${groupTypeSingular(t)}` })),
    ...(index === 0 ? [{ value: 'cohort', label: 'Cohort' }] : []),
    { value: 'hogql', label: 'HogQL expression' },
  ];
  const groupProperty = value?.type === 'group' && value.group_type_index === group
    ? value.property : '';
  const search = usePropertyOptionSearch('', true);
  const groupNames = useGroupPropertySearch(group);
  const groupSearch = groupNames && (async (text: string) =>
    (await groupNames(text)).map((name) => ({ value: name, label: name })));
  const numeric = value?.type === 'event' && !pending
    && (sources.numericEvent.includes(value.property) || value.histogram_bin_count !== undefined);
  return (
    <div class="breakdown-row" data-testid={`${testid}-row`}>
      <SearchSelect label={index === 0 ? 'Breakdown by' : 'and by'} testid={testid} value={current}
                    options={withCurrent(options, current)} search={search}
                    onChange={(picked) => {
                let next: Pending | null = null;
                if (picked.startsWith('group:')) {
                  next = { kind: 'group', index: Number(picked.slice('group:'.length)) };
                } else if (picked === 'hogql' || picked === 'cohort') {
                  next = { kind: picked };
                }
                if (next) {
                  setPending(value && sourceOf(value) === pendingValue(next) ? null : next);
                  return;
                }
                setPending(null);
                onChange(!picked ? null : picked.startsWith('person:')
                  ? { property: picked.slice('person:'.length), type: 'person' }
                  : { property: picked, type: 'event' });
              }} />
      {group !== null && (
        <SearchSelect label={`${groupTypeName(sources, group)} property`}
                      testid={`${testid}-group-property`} value={groupProperty}
                      options={withCurrent([{ value: '', label: 'Pick a property' },
                                            ...(sources.groupProperties[group] ?? [])
                                              .map((name) => ({ value: name, label: name }))],
                                           groupProperty)}
                      search={groupSearch}
                      onChange={(picked) => {
                        if (!picked) return;
                        setPending(null);
                        onChange({ property: picked, type: 'group', group_type_index: group });
                      }} />
      )}
      {kind === 'hogql' && (
        <HogQLBreakdownInput testid={`${testid}-hogql`}
                             value={value?.type === 'hogql' && !pending ? value.property : ''}
                             error={pending ? undefined : error}
                             onChange={(expression) => {
                               if (!expression) return;
                               setPending(null);
                               onChange({ property: expression, type: 'hogql' });
                             }} />
      )}
      {kind === 'cohort' && (
        <CohortChecks testid={`${testid}-cohorts`} cohorts={sources.cohorts}
                      value={value?.type === 'cohort' && !pending ? value.cohorts ?? [] : []}
                      onChange={(cohorts) => {
                        setPending(null);
                        onChange({ property: '', type: 'cohort', cohorts });
                      }} />
      )}
      {numeric && value && (
        <label class="control">
          <span>Bins</span>
          <input type="number" class="narrow" min={1} max={MAX_BIN_COUNT} placeholder="None"
                 data-testid={`${testid}-bins`} value={value.histogram_bin_count ?? ''}
                 onChange={(e) => {
                   const text = (e.target as HTMLInputElement).value.trim();
                   const n = Number(text);
                   const next: Breakdown = { property: value.property, type: 'event' };
                   if (text !== '') {
                     if (!Number.isInteger(n) || n < 1 || n > MAX_BIN_COUNT) return;
                     next.histogram_bin_count = n;
                   }
                   onChange(next);
                 }} />
        </label>
      )}
      {index > 0 && (
        <button type="button" class="link" data-testid={`${testid}-remove`}
                aria-label="Remove breakdown" onClick={() => onChange(null)}>×</button>
      )}
    </div>
  );
}

// A breakdown's HogQL expression, sent when the field is left or Enter pressed (trimmed; empty
// changes nothing), with the server's refusal of it after it.
function HogQLBreakdownInput({ testid, value, error, onChange }: {
  testid: string; value: string; error?: string; onChange: (expression: string) => void;
}) {
  const [text, setText] = useState(value);
  return (
    <>
      <label class="control">
        <span>HogQL expression</span>
        <input type="text" data-testid={testid} value={text} maxLength={MAX_HOGQL_LENGTH}
               placeholder="e.g. properties.$browser" autocomplete="off" spellcheck={false}
               aria-invalid={error ? 'true' : undefined}
               onInput={(e) => setText((e.target as HTMLInputElement).value)}
               onChange={(e) => onChange((e.target as HTMLInputElement).value.trim())} />
      </label>
      {error && <span class="error" role="alert" data-testid={`${testid}-error`}>{error}</span>}
    </>
  );
}

// The cohorts of a cohort breakdown: "All users" and the project's cohorts, one checkbox each,
// in the order checked; the last one checked cannot be unchecked (pick "No breakdown" instead).
function CohortChecks({ testid, cohorts, value, onChange }: {
  testid: string; cohorts: { id: number; name: string }[]; value: CohortRef[];
  onChange: (cohorts: CohortRef[]) => void;
}) {
  const items: { ref: CohortRef; name: string }[] = [
    { ref: 'all', name: 'All users' },
    ...cohorts.map((c) => ({ ref: c.id, name: c.name })),
    // A cohort of a hand-edited link the list does not hold.
    ...value.filter((ref) => ref !== 'all' && !cohorts.some((c) => c.id === ref))
      .map((ref) => ({ ref, name: `Cohort ${ref}` })),
  ];
  return (
    <fieldset class="cohort-checks" data-testid={testid}>
      <legend>Cohorts</legend>
      {items.map(({ ref, name }) => {
        const checked = value.includes(ref);
        return (
          <label key={String(ref)} class="check">
            <input type="checkbox" checked={checked} data-testid={`${testid}-${ref}`}
                   disabled={checked && value.length === 1}
                   onChange={(e) => onChange((e.target as HTMLInputElement).checked
                     ? [...value, ref] : value.filter((v) => v !== ref))} />
            {' '}{name}
          </label>
        );
      })}
    </fieldset>
  );
}
