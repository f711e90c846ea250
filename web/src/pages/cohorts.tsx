// Cohorts: the project's cohorts (GET …/cohorts/), a form that creates or edits a dynamic cohort
// from groups of criteria (PostHog's filters.properties: an OR of AND groups of person-property
// and behavioural criteria; what the server cannot match it refuses with a 400, shown as is), a
// static cohort from a CSV file of distinct ids (a multipart POST), and a cohort's page with its
// persons (GET …/cohorts/{id}/persons/).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { PropertyFilterList, PropertyNames } from '../components/property_filter_editor';
import { Select } from '../components/select';
import { useEventNames, useEventPropertyNames } from '../definitions';
import type { PropertyFilter } from '../property_filters';
import { navigate } from '../router';
import { Action, useActions } from './actions';
import { Person } from './persons';

export interface Cohort {
  id: number;
  name: string;
  description: string;
  is_static: boolean;
  count: number | null;
  created_at: string;
  filters: { properties?: { type?: string; values?: CriteriaGroup[] } };
}

// PostHog's behavioural criteria (`value`): what the person did with the event `key` (with
// event_type "actions": the action whose id is `key`) within the last time_value ×
// time_interval; for stopped / restarted, within the shorter seq_time_value ×
// seq_time_interval before now; regularly, operator_value times per time_value × time_interval
// in min_periods of the last total_periods such periods; in sequence, followed by `seq_event`
// within seq_time_value × seq_time_interval. `negation` keeps those who did not;
// `event_filters` (event property filters) narrow which of the events count.
type Behavior = 'performed_event' | 'performed_event_multiple' | 'performed_event_first_time'
  | 'stopped_performing_event' | 'restarted_performing_event' | 'performed_event_regularly'
  | 'performed_event_sequence';

interface BehavioralCriterion {
  type: 'behavioral'; value: Behavior; key: string | number; event_type: 'events' | 'actions';
  time_value: number; time_interval: string;
  operator?: string; operator_value?: number;           // multiple and regularly
  seq_time_value?: number; seq_time_interval?: string;  // stopped, restarted and sequence
  min_periods?: number; total_periods?: number;         // regularly
  seq_event?: string | number; seq_event_type?: 'events' | 'actions';  // sequence
  negation?: boolean;
  event_filters?: PropertyFilter[];
}

type Criterion =
  | { type: 'person'; key: string; operator: string; value: string }
  | BehavioralCriterion;

interface CriteriaGroup { type: 'AND' | 'OR'; values: Criterion[] }

const OPERATORS = [
  { value: 'exact', label: 'equals' },
  { value: 'is_not', label: 'does not equal' },
  { value: 'icontains', label: 'contains' },
  { value: 'not_icontains', label: 'does not contain' },
  { value: 'regex', label: 'matches regex' },
  { value: 'gt', label: 'greater than' },
  { value: 'lt', label: 'less than' },
  { value: 'is_set', label: 'is set' },
  { value: 'is_not_set', label: 'is not set' },
];

const INTERVALS = [
  { value: 'hour', label: 'hours' },
  { value: 'day', label: 'days' },
  { value: 'week', label: 'weeks' },
  { value: 'month', label: 'months' },
  { value: 'year', label: 'years' },
];

const BEHAVIORS: { value: Behavior; label: string }[] = [
  { value: 'performed_event', label: 'Completed the event' },
  { value: 'performed_event_multiple', label: 'Completed the event a number of times' },
  { value: 'performed_event_first_time', label: 'Completed the event for the first time' },
  { value: 'stopped_performing_event', label: 'Stopped doing the event' },
  { value: 'restarted_performing_event', label: 'Started doing the event again' },
  { value: 'performed_event_regularly', label: 'Completed the event regularly' },
  { value: 'performed_event_sequence', label: 'Completed the event, then another' },
];

const COUNT_OPERATORS = [
  { value: 'gte', label: 'at least' },
  { value: 'exact', label: 'exactly' },
  { value: 'lte', label: 'at most' },
];

// The behaviours that read a second, more recent span.
const SEQUENCE_BEHAVIORS: Behavior[] = ['stopped_performing_event', 'restarted_performing_event'];
const COUNTED_BEHAVIORS: Behavior[] = ['performed_event_multiple', 'performed_event_regularly'];

// The criterion `behavior` of the same event, span and negation: the fields that behaviour
// reads, with defaults for the ones `from` does not have.
function withBehavior(from: BehavioralCriterion, behavior: Behavior): BehavioralCriterion {
  const next: BehavioralCriterion = {
    type: 'behavioral', value: behavior, key: from.key, event_type: from.event_type,
    time_value: from.time_value, time_interval: from.time_interval,
  };
  if (COUNTED_BEHAVIORS.includes(behavior)) {
    next.operator = from.operator ?? 'gte';
    next.operator_value = from.operator_value ?? 1;
  }
  if (behavior === 'performed_event_regularly') {
    next.min_periods = from.min_periods ?? 3;
    next.total_periods = from.total_periods ?? 4;
  }
  if (SEQUENCE_BEHAVIORS.includes(behavior) || behavior === 'performed_event_sequence') {
    next.seq_time_value = from.seq_time_value ?? (behavior === 'performed_event_sequence' ? 1 : 7);
    next.seq_time_interval = from.seq_time_interval ?? 'day';
  }
  if (behavior === 'performed_event_sequence') {
    next.seq_event = from.seq_event ?? '';
    next.seq_event_type = from.seq_event_type ?? 'events';
  }
  if (from.negation) next.negation = true;
  if (from.event_filters?.length) next.event_filters = from.event_filters;
  return next;
}

const KINDS = [
  { value: 'person', label: 'Person property' },
  { value: 'behavioral', label: 'Behaviour' },
];

function newCriterion(kind: string): Criterion {
  return kind === 'behavioral'
    ? { type: 'behavioral', value: 'performed_event', key: '', event_type: 'events', time_value: 30,
        time_interval: 'day' }
    : { type: 'person', key: '', operator: 'exact', value: '' };
}

// An event select's value: "event:<name>", "action:<id>", or "" for none yet.
function targetOf(key: string | number | undefined, type: 'events' | 'actions' | undefined): string {
  if (key === undefined || key === '') return '';
  return type === 'actions' ? `action:${key}` : `event:${key}`;
}

// The key and its type an event select's value stands for.
function pickedTarget(picked: string): { key: string | number; type: 'events' | 'actions' } {
  return picked.startsWith('action:')
    ? { key: Number(picked.slice('action:'.length)), type: 'actions' }
    : { key: picked.slice('event:'.length), type: 'events' };
}

// The criterion with the event or action picked in the select.
function withTarget(criterion: BehavioralCriterion, picked: string): BehavioralCriterion {
  const { key, type } = pickedTarget(picked);
  return { ...criterion, event_type: type, key };
}

function usePersonPropertyNames(project: Project): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    api<Page<{ name: string }>>(
      'GET', `/api/projects/${project.id}/property_definitions/?type=person&limit=1000`)
      .then((page) => setNames(page.results.map((d) => d.name)))
      .catch(() => setNames([]));
  }, [project.id]);
  return names;
}

// One criterion's controls.
function CriterionRow({ project, criterion, events, actions, eventProperties, onChange, onRemove,
                       testid }: {
  project: Project; criterion: Criterion; events: string[]; actions: Action[];
  eventProperties: PropertyNames; testid: string; onChange: (c: Criterion) => void;
  onRemove: () => void;
}) {
  const input = (label: string, value: string, set: (v: string) => void, extra = {}) => (
    <label class="control">
      <span>{label}</span>
      <input value={value} {...extra}
             onInput={(e) => set((e.target as HTMLInputElement).value)} />
    </label>
  );
  const targets = [{ value: '', label: 'Pick an event or action' },
                   ...events.map((name) => ({ value: `event:${name}`, label: name })),
                   ...actions.map((a) => ({ value: `action:${a.id}`, label: `Action: ${a.name}` }))];
  return (
    <div class="controls criterion" data-testid={testid}>
      <Select label="Criterion" testid="criterion-kind" value={criterion.type} options={KINDS}
              onChange={(kind) => onChange(newCriterion(kind))} />
      {criterion.type === 'person' && <>
        {input('Property', criterion.key, (key) => onChange({ ...criterion, key }),
               { 'data-testid': 'criterion-key', list: 'person-property-names', required: true })}
        <Select label="Operator" testid="criterion-operator" value={criterion.operator}
                options={OPERATORS} onChange={(operator) => onChange({ ...criterion, operator })} />
        {criterion.operator !== 'is_set' && criterion.operator !== 'is_not_set' &&
          input('Value', criterion.value, (value) => onChange({ ...criterion, value }),
                { 'data-testid': 'criterion-value' })}
      </>}
      {criterion.type === 'behavioral' && <>
        <label class="control checkbox">
          <input type="checkbox" checked={criterion.negation === true} data-testid="criterion-negation"
                 onChange={(e) => {
                   const { negation: _, ...rest } = criterion;
                   onChange((e.target as HTMLInputElement).checked ? { ...rest, negation: true } : rest);
                 }} />
          <span>Did not</span>
        </label>
        <Select label="Behaviour" testid="criterion-behavior" value={criterion.value}
                options={BEHAVIORS}
                onChange={(value) => onChange(withBehavior(criterion, value as Behavior))} />
        <Select label="Event or action" testid="criterion-event"
                value={targetOf(criterion.key, criterion.event_type)} options={targets}
                onChange={(picked) => onChange(withTarget(criterion, picked))} />
        {COUNTED_BEHAVIORS.includes(criterion.value) && <>
          <Select label="Times" testid="criterion-count-operator" value={criterion.operator ?? 'gte'}
                  options={COUNT_OPERATORS}
                  onChange={(operator) => onChange({ ...criterion, operator })} />
          {input('Count', String(criterion.operator_value ?? 1),
                 (v) => onChange({ ...criterion, operator_value: Number(v) }),
                 { type: 'number', min: 0, 'data-testid': 'criterion-count' })}
        </>}
        {input(criterion.value === 'stopped_performing_event' ? 'Did it in the last'
               : criterion.value === 'restarted_performing_event' ? 'Did it before the last'
               : criterion.value === 'performed_event_regularly' ? 'Per'
               : 'In the last',
               String(criterion.time_value),
               (v) => onChange({ ...criterion, time_value: Number(v) }),
               { type: 'number', min: 1, 'data-testid': 'criterion-time-value' })}
        <Select label="Period" testid="criterion-interval" value={criterion.time_interval}
                options={INTERVALS}
                onChange={(time_interval) => onChange({ ...criterion, time_interval })} />
        {criterion.value === 'performed_event_regularly' && <>
          {input('In at least', String(criterion.min_periods ?? 3),
                 (v) => onChange({ ...criterion, min_periods: Number(v) }),
                 { type: 'number', min: 1, 'data-testid': 'criterion-min-periods' })}
          {input('Of the last (periods)', String(criterion.total_periods ?? 4),
                 (v) => onChange({ ...criterion, total_periods: Number(v) }),
                 { type: 'number', min: 1, max: 100, 'data-testid': 'criterion-total-periods' })}
        </>}
        {criterion.value === 'performed_event_sequence' && <>
          <Select label="Then" testid="criterion-seq-event"
                  value={targetOf(criterion.seq_event, criterion.seq_event_type)} options={targets}
                  onChange={(picked) => {
                    const { key, type } = pickedTarget(picked);
                    onChange({ ...criterion, seq_event: key, seq_event_type: type });
                  }} />
          {input('Within', String(criterion.seq_time_value ?? 1),
                 (v) => onChange({ ...criterion, seq_time_value: Number(v) }),
                 { type: 'number', min: 1, 'data-testid': 'criterion-seq-time-value' })}
          <Select label="Of" testid="criterion-seq-interval"
                  value={criterion.seq_time_interval ?? 'day'} options={INTERVALS}
                  onChange={(seq_time_interval) => onChange({ ...criterion, seq_time_interval })} />
        </>}
        {SEQUENCE_BEHAVIORS.includes(criterion.value) && <>
          {input(criterion.value === 'stopped_performing_event' ? 'But not in the last'
                                                                : 'Then again in the last',
                 String(criterion.seq_time_value ?? 7),
                 (v) => onChange({ ...criterion, seq_time_value: Number(v) }),
                 { type: 'number', min: 1, 'data-testid': 'criterion-seq-time-value' })}
          <Select label="Recent period" testid="criterion-seq-interval"
                  value={criterion.seq_time_interval ?? 'day'} options={INTERVALS}
                  onChange={(seq_time_interval) => onChange({ ...criterion, seq_time_interval })} />
        </>}
        <div class="criterion-event-filters">
          <span class="muted-inline">where the event has</span>
          <PropertyFilterList project={project} names={eventProperties}
                              filters={criterion.event_filters ?? []}
                              testid="criterion-event-filters"
                              onChange={(filters) => {
                                const { event_filters: _, ...rest } = criterion;
                                onChange(filters.length ? { ...rest, event_filters: filters } : rest);
                              }} />
        </div>
      </>}
      <button type="button" class="link" onClick={onRemove}>Remove</button>
    </div>
  );
}

// Creates (no `cohort`) or edits a dynamic cohort.
function DynamicCohortForm({ project, cohort, onSaved }: {
  project: Project; cohort?: Cohort; onSaved: (c: Cohort) => void;
}) {
  const [name, setName] = useState(cohort?.name ?? '');
  const [description, setDescription] = useState(cohort?.description ?? '');
  const [groups, setGroups] = useState<CriteriaGroup[]>(
    cohort?.filters.properties?.values?.length
      ? cohort.filters.properties.values
      : [{ type: 'AND', values: [newCriterion('person')] }]);
  const [error, setError] = useState('');
  const events = useEventNames(project);
  const actions = useActions(project);
  const eventProperties: PropertyNames = { event: useEventPropertyNames(project), person: [] };
  const personProperties = usePersonPropertyNames(project);
  const setGroup = (i: number, group: CriteriaGroup) =>
    setGroups(groups.map((g, j) => (i === j ? group : g)));
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const body = {
      name, description, is_static: false,
      filters: { properties: { type: 'OR', values: groups } },
    };
    try {
      const saved = cohort
        ? await api<Cohort>('PATCH', `/api/projects/${project.id}/cohorts/${cohort.id}/`, body)
        : await api<Cohort>('POST', `/api/projects/${project.id}/cohorts/`, body);
      onSaved(saved);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form data-testid="cohort-form" onSubmit={submit}>
      <div class="controls">
        <label class="control">
          <span>Name</span>
          <input name="name" required value={name} data-testid="cohort-name"
                 onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="control">
          <span>Description</span>
          <input name="description" value={description}
                 onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <datalist id="person-property-names">
        {personProperties.map((n) => <option key={n} value={n} />)}
      </datalist>
      {groups.map((group, i) => (
        <fieldset key={i} class="criteria-group" data-testid="criteria-group">
          <legend>{i === 0 ? 'Persons who match all of' : 'or all of'}</legend>
          {group.values.map((criterion, j) => (
            <CriterionRow key={j} project={project} criterion={criterion} events={events}
                          actions={actions} eventProperties={eventProperties} testid="criterion"
                          onChange={(c) => setGroup(i, {
                            ...group, values: group.values.map((x, k) => (k === j ? c : x)),
                          })}
                          onRemove={() => setGroup(i, {
                            ...group, values: group.values.filter((_, k) => k !== j),
                          })} />
          ))}
          <button type="button" class="link"
                  onClick={() => setGroup(i, {
                    ...group, values: [...group.values, newCriterion('person')],
                  })}>Add criterion</button>
          {groups.length > 1 && (
            <button type="button" class="link"
                    onClick={() => setGroups(groups.filter((_, k) => k !== i))}>Remove group</button>
          )}
        </fieldset>
      ))}
      <div class="controls">
        <button type="button" class="link"
                onClick={() => setGroups([...groups, { type: 'AND', values: [newCriterion('person')] }])}>
          Add a group (or)
        </button>
        <button type="submit" data-testid="cohort-save">{cohort ? 'Save cohort' : 'Create cohort'}</button>
        {error && <span class="error" role="alert" data-testid="cohort-error">{error}</span>}
      </div>
    </form>
  );
}

// A static cohort from a CSV file (created, or grown when `cohort` is given).
function CsvUploadForm({ project, cohort, onSaved }: {
  project: Project; cohort?: Cohort; onSaved: (c: Cohort) => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const form = e.target as HTMLFormElement;
    const file = (form.elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) {
      setError('Choose a CSV file of distinct ids.');
      return;
    }
    const data = new FormData();
    if (!cohort) {
      data.append('name', name);
      data.append('is_static', 'true');
    }
    data.append('csv', file, file.name);
    try {
      const saved = cohort
        ? await api<Cohort>('PATCH', `/api/projects/${project.id}/cohorts/${cohort.id}/`, data)
        : await api<Cohort>('POST', `/api/projects/${project.id}/cohorts/`, data);
      form.reset();
      setName('');
      onSaved(saved);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="controls" data-testid="cohort-csv-form" onSubmit={submit}>
      {!cohort && (
        <label class="control">
          <span>Name</span>
          <input name="name" required value={name} data-testid="cohort-csv-name"
                 onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
      )}
      <label class="control">
        <span>CSV of distinct ids</span>
        <input name="csv" type="file" accept=".csv,text/csv" data-testid="cohort-csv-file" />
      </label>
      <button type="submit" data-testid="cohort-csv-upload">
        {cohort ? 'Add persons from CSV' : 'Create static cohort'}
      </button>
      {error && <span class="error" role="alert" data-testid="cohort-csv-error">{error}</span>}
    </form>
  );
}

export function CohortsPage({ project }: { project: Project }) {
  const [cohorts, setCohorts] = useState<Cohort[] | null>(null);
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    api<Page<Cohort>>('GET', `/api/projects/${project.id}/cohorts/?limit=200`)
      .then((page) => setCohorts(page.results))
      .catch((e) => setError(e.message));
  }, [project.id, generation]);
  const created = (cohort: Cohort) => {
    setGeneration((n) => n + 1);
    navigate(`/cohorts/${cohort.id}`);
  };
  return (
    <section class="page">
      <h1>Cohorts</h1>
      <h2>New dynamic cohort</h2>
      <DynamicCohortForm project={project} onSaved={created} />
      <h2>New static cohort</h2>
      <CsvUploadForm project={project} onSaved={created} />
      <h2>All cohorts</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!cohorts && !error && <p class="muted">Loading…</p>}
      {cohorts && cohorts.length === 0 && <p class="muted">No cohorts yet.</p>}
      {cohorts && cohorts.length > 0 && (
        <div class="table-scroll">
          <table class="data" data-testid="cohorts-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Persons</th>
                <th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {cohorts.map((cohort) => (
                <tr key={cohort.id} data-testid="cohort-row">
                  <td><a href={`/cohorts/${cohort.id}`}>{cohort.name}</a></td>
                  <td>{cohort.is_static ? 'Static' : 'Dynamic'}</td>
                  <td>{cohort.count ?? ''}</td>
                  <td title={cohort.created_at}>{new Date(cohort.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CohortPage({ project, id }: { project: Project; id: number }) {
  const [cohort, setCohort] = useState<Cohort | null>(null);
  const [persons, setPersons] = useState<Person[] | null>(null);
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setError('');
    const base = `/api/projects/${project.id}/cohorts/${id}/`;
    Promise.all([api<Cohort>('GET', base), api<Page<Person>>('GET', `${base}persons/?limit=500`)])
      .then(([c, p]) => {
        setCohort(c);
        setPersons(p.results);
      })
      .catch((e) => setError(e.message));
  }, [project.id, id, generation]);
  // The form starts again from what was saved (not from the cohort read before), and the
  // cohort and its persons are read again.
  const saved = (c: Cohort) => {
    setCohort(c);
    setGeneration((n) => n + 1);
  };
  const remove = async () => {
    setError('');
    try {
      await api('PATCH', `/api/projects/${project.id}/cohorts/${id}/`, { deleted: true });
      navigate('/cohorts');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page">
      <p><a href="/cohorts">All cohorts</a></p>
      {error && <p class="error" role="alert">{error}</p>}
      {!cohort && !error && <p class="muted">Loading…</p>}
      {cohort && <>
        <h1 data-testid="cohort-title">{cohort.name}</h1>
        <p class="muted">{cohort.is_static ? 'Static cohort' : 'Dynamic cohort'}
          {cohort.description ? ` · ${cohort.description}` : ''}</p>
        {cohort.is_static
          ? <CsvUploadForm key={generation} project={project} cohort={cohort} onSaved={saved} />
          : <DynamicCohortForm key={generation} project={project} cohort={cohort} onSaved={saved} />}
        <button type="button" class="link" data-testid="cohort-delete" onClick={remove}>
          Delete cohort
        </button>
        <h2>Persons</h2>
        {persons && persons.length === 0 && <p class="muted" data-testid="cohort-persons-empty">Nobody yet.</p>}
        {persons && persons.length > 0 && (
          <div class="table-scroll">
            <table class="data" data-testid="cohort-persons">
              <thead>
                <tr><th scope="col">Person</th><th scope="col">Distinct ids</th></tr>
              </thead>
              <tbody>
                {persons.map((person) => (
                  <tr key={person.uuid} data-testid="cohort-person-row" data-uuid={person.uuid}>
                    <td><a href={`/persons/${person.uuid}`}>{person.name || person.uuid}</a></td>
                    <td>{person.distinct_ids.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>}
    </section>
  );
}
