// Insights → Paths: the event types whose events are path items, start and end points, step
// and edge limits, edge weights, exclusions, wildcard groups, cleaning rules and the date range;
// the answer of the query API as a Sankey diagram and a table of edges, and the persons of a
// clicked node or edge. The query lives in the URL (paths_query.ts).
import { useEffect, useState } from 'preact/hooks';
import { Project } from '../api';
import { CleaningRules } from '../components/cleaning_rules';
import { FunnelPaths } from '../components/funnel_paths';
import { InsightTabs } from '../components/insight_tabs';
import { PathEdges } from '../components/path_edges';
import { PathPersons } from '../components/path_persons';
import { PointInput } from '../components/point_input';
import { Sankey } from '../components/sankey';
import { SaveInsight } from '../components/save_insight';
import { Select, withCurrent } from '../components/select';
import { StringList } from '../components/string_list';
import { useEventNames } from '../definitions';
import {
  EVENT_TYPES, MAX_EDGE_LIMIT, MAX_LIST, MAX_STEP_LIMIT, PathEdge, pathEdges, PathPersonsOf,
  pathsFromUrl, PathsFilter, PathsQuery, urlForPaths,
} from '../paths_query';
import { useQueryAnswer } from '../query_answer';
import { queryUpdater } from '../query_edit';
import { navigate, useLocation } from '../router';
import { DATE_RANGES } from '../trends_query';

// A whole-number field; empty means "none" when `optional`.
function NumberField({ label, testid, value, min, max, optional, onChange }: {
  label: string;
  testid: string;
  value: number | undefined;
  min: number;
  max: number;
  optional: boolean;
  onChange: (value: number | undefined) => void;
}) {
  return (
    <label class="control">
      <span>{label}</span>
      <input type="number" min={min} max={max} value={value ?? ''} data-testid={testid}
             placeholder={optional ? 'None' : undefined} class="narrow"
             onChange={(e) => {
               const text = (e.target as HTMLInputElement).value;
               const n = Number(text);
               if (text === '' && optional) onChange(undefined);
               else if (text !== '' && Number.isInteger(n) && n >= min && n <= max) onChange(n);
             }} />
    </label>
  );
}

export function PathsPage({ project }: { project: Project }) {
  const location = useLocation();
  const query = pathsFromUrl(location);
  // The tab's link holds no query: the address gets the default one, so it can be shared as is.
  const bare = !location.searchParams.has('q');
  useEffect(() => {
    if (bare) navigate(urlForPaths(query), true);
  }, [bare]);
  const events = useEventNames(project);
  const answer = useQueryAnswer<unknown>(project, query, []);
  const edit = queryUpdater(query, urlForPaths);
  const update = (change: (f: PathsFilter, q: PathsQuery) => void) =>
    edit((next) => change(next.pathsFilter, next));
  // Sets an optional field, or drops it when empty.
  const set = <K extends keyof PathsFilter>(key: K, value: PathsFilter[K] | undefined) =>
    update((f) => {
      const empty = value === undefined || value === '' ||
                    (Array.isArray(value) && value.length === 0);
      if (empty) delete f[key];
      else f[key] = value;
    });
  const filter = query.pathsFilter;

  return (
    <section class="page">
      <InsightTabs current="/insights/paths" />
      <h1>Paths</h1>
      <div class="editor">
        <fieldset class="series" data-testid="path-types">
          <legend>Event types</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type.value} class="check">
              <input type="checkbox" checked={filter.includeEventTypes.includes(type.value)}
                     data-testid={`path-type-${type.value}`}
                     onChange={(e) => update((f) => {
                       const on = (e.target as HTMLInputElement).checked;
                       f.includeEventTypes = EVENT_TYPES.map((t) => t.value).filter((t) =>
                         t === type.value ? on : f.includeEventTypes.includes(t));
                     })} />
              {' '}{type.label}
            </label>
          ))}
          {filter.includeEventTypes.length === 0 && <p class="hint muted-inline">All events</p>}
        </fieldset>
        <div class="controls">
          <PointInput project={project} label="Starts at" testid="path-start"
                      value={filter.startPoint ?? ''} types={filter.includeEventTypes}
                      events={events} onChange={(value) => set('startPoint', value)} />
          <PointInput project={project} label="Ends at" testid="path-end"
                      value={filter.endPoint ?? ''} types={filter.includeEventTypes}
                      events={events} onChange={(value) => set('endPoint', value)} />
          <Select label="Steps" testid="path-steps" value={String(filter.stepLimit)}
                  options={Array.from({ length: MAX_STEP_LIMIT - 1 }, (_, i) => ({
                    value: String(i + 2), label: `${i + 2} steps` }))}
                  onChange={(value) => update((f) => { f.stepLimit = Number(value); })} />
          <Select label="Date range" testid="date-range" value={query.dateRange.date_from}
                  options={withCurrent(DATE_RANGES, query.dateRange.date_from)}
                  onChange={(value) => update((_, q) => {
                    q.dateRange = { date_from: value };
                  })} />
        </div>
        <div class="controls">
          <NumberField label="Edges at most" testid="path-edge-limit" value={filter.edgeLimit}
                       min={1} max={MAX_EDGE_LIMIT} optional={false}
                       onChange={(value) => update((f) => { f.edgeLimit = value ?? 50; })} />
          <NumberField label="Min edge weight" testid="path-min-weight"
                       value={filter.minEdgeWeight} min={1} max={Number.MAX_SAFE_INTEGER}
                       optional={true} onChange={(value) => set('minEdgeWeight', value)} />
          <NumberField label="Max edge weight" testid="path-max-weight"
                       value={filter.maxEdgeWeight} min={1} max={Number.MAX_SAFE_INTEGER}
                       optional={true} onChange={(value) => set('maxEdgeWeight', value)} />
        </div>
        <StringList legend="Exclusions" testid="path-exclusions" items={filter.excludeEvents ?? []}
                    placeholder="A URL, screen or event to leave out" max={MAX_LIST}
                    onChange={(items) => set('excludeEvents', items)} />
        <StringList legend="Wildcard groups" testid="path-groupings"
                    items={filter.pathGroupings ?? []} placeholder="e.g. /blog/*" max={MAX_LIST}
                    onChange={(items) => set('pathGroupings', items)} />
        <CleaningRules rules={filter.localPathCleaningFilters ?? []} max={MAX_LIST}
                       onChange={(rules) => set('localPathCleaningFilters', rules)} />
        <FunnelPaths project={project} value={query.funnelPathsFilter}
                     onChange={(funnelPaths) => update((_, q) => {
                       if (funnelPaths) q.funnelPathsFilter = funnelPaths;
                       else delete q.funnelPathsFilter;
                     })} />
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="paths-loading">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <PathsAnswer key={JSON.stringify(query)} project={project} query={query}
                     edges={pathEdges(answer.results)} />
      )}
    </section>
  );
}

// The diagram, the table and the persons of one answer; data-query names the query it answers.
function PathsAnswer({ project, query, edges }: {
  project: Project;
  query: PathsQuery;
  edges: PathEdge[];
}) {
  const [persons, setPersons] = useState<PathPersonsOf | null>(null);
  const queryKey = JSON.stringify(query);
  if (edges.length === 0) {
    return (
      <p class="muted" data-testid="paths-answer" data-query={queryKey}>
        No paths in this range.</p>
    );
  }
  const onEdge = (source: string, target: string) =>
    setPersons({ kind: 'edge', source, target });
  return (
    <div data-testid="paths-answer" data-query={queryKey}>
      <p class="muted-inline">Click a step or a link for its persons.</p>
      <Sankey edges={edges} selected={persons?.kind === 'node' ? persons.node : undefined}
              onNode={(node) => setPersons({ kind: 'node', node, how: 'reached' })}
              onLink={onEdge} />
      {persons && (
        <PathPersons project={project} query={query} of={persons} onChange={setPersons} />
      )}
      <h2>Edges</h2>
      <PathEdges edges={edges} onEdge={onEdge} />
    </div>
  );
}
