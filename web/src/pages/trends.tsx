// Insights → Trends: series (event or action, math, own filters, a custom name), formulas, global
// AND/OR filter groups (of properties, cohorts and HogQL expressions), test-account filtering, up
// to three breakdowns, date range, interval, compare (with the previous period or a chosen one),
// smoothing and the display; the answer of the query API drawn as that display, with a table
// (whose checkboxes hide lines from the chart), its lines named by lineLabel, and the HogQL the
// server ran (View HogQL). A point, a bar, a slice or a cell lists its persons. The query lives
// in the URL (trends_query.ts).
import { useState } from 'preact/hooks';
import { annotationMarkers, useAnnotations } from '../annotations';
import { Project } from '../api';
import { breakdownLimit, MAX_BREAKDOWN_LIMIT } from '../breakdown_filter';
import { TrendsBreakdowns } from '../components/breakdown_select';
import { QueryDateRange } from '../components/date_range_select';
import { InsightPersons } from '../components/insight_persons';
import { InsightTabs } from '../components/insight_tabs';
import { IntervalSelect } from '../components/interval_select';
import { PropertyGroupsEditor, PropertyNames } from '../components/property_filter_editor';
import { QueryHogQL } from '../components/query_hogql';
import { SaveInsight } from '../components/save_insight';
import { Select, withCurrent } from '../components/select';
import { TrendsAnswer } from '../components/trends_answer';
import { TrendsSeriesRow } from '../components/trends_series';
import {
  useEventNames, useEventPropertyNames, useNumericEventPropertyNames,
} from '../definitions';
import {
  useCohortNames, useGroupPropertyNames, useGroupTypes, usePersonPropertyNames,
} from '../property_suggestions';
import { useQueryAnswer } from '../query_answer';
import { QueryUpdate, queryUpdater } from '../query_edit';
import { useLocation } from '../router';
import {
  COMPARE_TO, computedQuery, Display, DISPLAYS, displayOf, FormulaNode, isLineHidden,
  lineColors, MAX_CUSTOM_NAME, MAX_FORMULAS, MAX_SERIES, queryFromUrl, setLineColor,
  setLineHidden, tidyQuery, TrendsQuery, TrendsResult, urlForQuery,
  withLineLabels, WORLD_MAP_BREAKDOWN,
} from '../trends_query';
import { useActions } from './actions';

const SMOOTHING = [
  { value: '1', label: 'No smoothing' },
  { value: '7', label: '7-day average' },
  { value: '28', label: '28-day average' },
];

// The persons of which point are listed: a line of the answer, and its bucket (none for totals).
interface Point { key: string; result: number; index?: number }

export function TrendsPage({ project }: { project: Project }) {
  const location = useLocation();
  const query = queryFromUrl(location);
  const key = JSON.stringify(query);
  const events = useEventNames(project);
  const names: PropertyNames = { event: useEventPropertyNames(project),
                                 person: usePersonPropertyNames(project),
                                 cohorts: useCohortNames(project), hogql: true };
  const groupTypes = useGroupTypes(project);
  const groupProperties = useGroupPropertyNames(project, groupTypes);
  const numericEvent = useNumericEventPropertyNames(project);
  const answer = useQueryAnswer<TrendsResult[]>(project, computedQuery(query), []);
  const actions = useActions(project);
  const annotations = useAnnotations(project);
  const [point, setPoint] = useState<Point | null>(null);
  const update = queryUpdater(query, (next) => urlForQuery(tidyQuery(next)));
  const display = displayOf(query);
  const formulas = query.trendsFilter?.formulaNodes ?? [];
  const results = answer.state === 'done' ? withLineLabels(answer.results) : [];
  const shownPoint = point?.key === key ? point : null;
  const pointResult = shownPoint ? results[shownPoint.result] : undefined;
  // The server's refusal, also shown at the HogQL expression it names.
  const refusal = answer.state === 'error' ? answer.message : undefined;

  return (
    <section class="page">
      <InsightTabs current="/insights/trends" />
      <h1>Trends</h1>
      <div class="editor">
        <fieldset class="series">
          <legend>Series</legend>
          {query.series.map((node, i) => (
            <TrendsSeriesRow key={i} project={project} index={i} node={node} events={events}
                             actions={actions} names={names} groupTypes={groupTypes}
                             error={refusal} removable={query.series.length > 1}
                             onChange={(change) => update((q) => change(q.series[i]))}
                             onRemove={() => update((q) => { q.series.splice(i, 1); })}
                             onDuplicate={query.series.length < MAX_SERIES ? () => update((q) => {
                               q.series.splice(i + 1, 0, JSON.parse(JSON.stringify(q.series[i])));
                             }) : undefined} />
          ))}
          {query.series.length < MAX_SERIES && (
            <button type="button" class="link" data-testid="add-series" onClick={() => update((q) => {
              q.series.push({ kind: 'EventsNode', event: null, name: 'All events', math: 'total' });
            })}>+ Add series</button>
          )}
          <FormulaList formulas={formulas}
                       onChange={(nodes) => update((q) => {
                         q.trendsFilter = { ...q.trendsFilter, formulaNodes: nodes };
                       })} />
        </fieldset>
        <fieldset class="filters">
          <legend>Filters</legend>
          <PropertyGroupsEditor project={project} names={names} groups={query.properties}
                                onChange={(groups) => update((q) => { q.properties = groups; })} />
          <label class="control checkbox">
            <input type="checkbox" data-testid="filter-test-accounts"
                   checked={query.filterTestAccounts === true}
                   onChange={(e) => update((q) => {
                     q.filterTestAccounts = (e.target as HTMLInputElement).checked;
                   })} />
            <span>Filter out internal and test users</span>
          </label>
        </fieldset>
        <div class="controls">
          <TrendsBreakdowns sources={{ event: names.event, numericEvent, person: names.person,
                                       groupTypes, groupProperties, cohorts: names.cohorts ?? [] }}
                            value={query.breakdownFilter} error={refusal}
                            onChange={(filter) => update((q) => {
                              const limit = q.breakdownFilter?.breakdown_limit;
                              if (filter) {
                                q.breakdownFilter = filter;
                                if (limit !== undefined && filter.breakdown_type !== 'cohort') {
                                  filter.breakdown_limit = limit;
                                }
                              } else {
                                delete q.breakdownFilter;
                              }
                            })} />
          {query.breakdownFilter && query.breakdownFilter.breakdown_type !== 'cohort' && (
            <label class="control">
              <span>Breakdown limit</span>
              <input type="number" min={1} max={MAX_BREAKDOWN_LIMIT} placeholder="25"
                     data-testid="breakdown-limit"
                     value={query.breakdownFilter.breakdown_limit ?? ''}
                     onChange={(e) => update((q) => {
                       if (!q.breakdownFilter) return;
                       const limit = breakdownLimit(Number((e.target as HTMLInputElement).value));
                       if (limit === undefined) delete q.breakdownFilter.breakdown_limit;
                       else q.breakdownFilter.breakdown_limit = limit;
                     })} />
            </label>
          )}
          <QueryDateRange query={query} update={update} />
          <IntervalSelect value={query.interval}
                          onChange={(value) => update((q) => {
                            q.interval = value;
                            if (value !== 'day' && q.trendsFilter) delete q.trendsFilter.smoothingIntervals;
                          })} />
          {query.interval === 'day' && (
            <Select label="Smoothing" testid="smoothing"
                    value={String(query.trendsFilter?.smoothingIntervals ?? 1)} options={SMOOTHING}
                    onChange={(value) => update((q) => {
                      q.trendsFilter = { ...q.trendsFilter, smoothingIntervals: Number(value) };
                    })} />
          )}
          <CompareControl query={query} update={update} />
          <Select label="Display" testid="display" value={display} options={DISPLAYS}
                  onChange={(value) => update((q) => {
                    q.trendsFilter = { ...q.trendsFilter, display: value as Display };
                    if (value === 'WorldMap') {
                      q.breakdownFilter = { breakdown: WORLD_MAP_BREAKDOWN, breakdown_type: 'event' };
                    }
                  })} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="trends-loading">Loading…</p>}
      {answer.state === 'error' && (
        <p class="error" role="alert" data-testid="trends-error" data-query={key}>{answer.message}</p>
      )}
      {answer.state === 'done' && (
        <TrendsAnswer results={results} queryKey={key} display={display}
                      hidden={results.map((result) => isLineHidden(query, result))}
                      onShown={(i, shown) => update((q) => setLineHidden(q, results[i], !shown))}
                      colors={lineColors(query, results)}
                      onColor={(i, token) => update((q) => setLineColor(q, results[i], token))}
                      markers={annotationMarkers(annotations, results[0]?.days ?? [],
                                                 project.timezone ?? 'UTC')}
                      onPoint={formulas.length ? undefined
                        : (result, index) => setPoint({ key, result, index })} />
      )}
      {answer.state === 'done' && <QueryHogQL key={key} hogql={answer.hogql} />}
      {answer.state === 'done' && shownPoint && pointResult && (
        <InsightPersons
          key={`${key}/${shownPoint.result}/${shownPoint.index}`} project={project}
          title={shownPoint.index === undefined ? pointResult.label
            : `${pointResult.label}: ${pointResult.labels[shownPoint.index]}`}
          query={{ kind: 'ActorsQuery', select: ['person'],
                   source: actorsSource(query, pointResult, shownPoint.index) }}
          onClose={() => setPoint(null)} />
      )}
    </section>
  );
}

// The InsightActorsQuery of one point: its series, bucket, breakdown value and period.
export function actorsSource(query: TrendsQuery, result: TrendsResult, index?: number): object {
  const source: Record<string, unknown> = {
    kind: 'InsightActorsQuery', source: query, series: result.action?.order ?? 0,
  };
  if (index !== undefined && result.days[index] !== undefined) source.day = result.days[index];
  if (query.breakdownFilter && result.breakdown_value !== undefined) {
    source.breakdown = result.breakdown_value;
  }
  if (query.compareFilter?.compare) source.compare = result.compare_label ?? 'current';
  return source;
}

// Compare: a checkbox, then with what (the previous period, or the range a chosen time earlier).
function CompareControl({ query, update }: { query: TrendsQuery; update: QueryUpdate<TrendsQuery> }) {
  const compare = query.compareFilter;
  const to = compare?.compare_to ?? '';
  return (
    <>
      <label class="control checkbox">
        <input type="checkbox" data-testid="compare" checked={compare?.compare === true}
               onChange={(e) => update((q) => {
                 q.compareFilter = { compare: (e.target as HTMLInputElement).checked };
               })} />
        <span>Compare</span>
      </label>
      {compare?.compare && (
        <Select label="Compare with" testid="compare-to" value={to}
                options={withCurrent(COMPARE_TO, to)}
                onChange={(value) => update((q) => {
                  q.compareFilter = value ? { compare: true, compare_to: value } : { compare: true };
                })} />
      )}
    </>
  );
}

// The formulas over the series' letters (A/B*100), each drawn as its own lines and optionally
// named: a row per formula and an empty one after them that adds one (up to MAX_FORMULAS);
// emptying a formula removes it. A field is sent when it is left or Enter pressed. The first
// row's fields have the test ids "formula" and "formula-name", the others' "formula-<i>" and
// "formula-<i>-name".
function FormulaList({ formulas, onChange }: {
  formulas: FormulaNode[]; onChange: (formulas: FormulaNode[]) => void;
}) {
  const rows = formulas.length < MAX_FORMULAS ? [...formulas, { formula: '' }] : formulas;
  const set = (i: number, node: FormulaNode) => {
    const next = [...formulas];
    if (node.formula.trim() === '') next.splice(i, 1);
    else next[i] = node;
    onChange(next);
  };
  return (
    <div class="formulas">
      {rows.map((node, i) => {
        const testid = i === 0 ? 'formula' : `formula-${i}`;
        return (
          <div class="formula-row" key={`${i}:${node.formula}:${node.custom_name ?? ''}`}>
            <TextField label={i === 0 ? 'Formula' : `Formula ${i + 1}`} testid={testid}
                       value={node.formula} placeholder="e.g. A / B * 100"
                       onChange={(formula) => set(i, { ...node, formula: formula.trim() })} />
            {node.formula && (
              <TextField label="Name" testid={`${testid}-name`} value={node.custom_name ?? ''}
                         placeholder="Formula (…)"
                         onChange={(name) => {
                           const { custom_name: _, ...rest } = node;
                           set(i, name.trim()
                             ? { ...rest, custom_name: name.trim().slice(0, MAX_CUSTOM_NAME) }
                             : rest);
                         }} />
            )}
          </div>
        );
      })}
    </div>
  );
}

// A text field sent when it is left or Enter pressed.
function TextField({ label, testid, value, placeholder, onChange }: {
  label: string; testid: string; value: string; placeholder: string;
  onChange: (value: string) => void;
}) {
  const [text, setText] = useState(value);
  return (
    <label class="control formula">
      <span>{label}</span>
      <input type="text" data-testid={testid} value={text} placeholder={placeholder}
             autocomplete="off" spellcheck={false}
             onInput={(e) => setText((e.target as HTMLInputElement).value)}
             onChange={(e) => onChange((e.target as HTMLInputElement).value)} />
    </label>
  );
}
