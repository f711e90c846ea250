// Insights → Funnels: the steps (events or actions, optional after the first), the excluded
// events, the order, the conversion window, a breakdown, the date range and the graph type; the
// answer of the query API as bars per step (or a table per breakdown value), a histogram of
// conversion times or conversion-rate lines (components/funnel_answer.tsx). The query lives in
// the URL (funnels_query.ts). A link opens the Paths editor on this funnel's paths (funnel paths).
import { Project } from '../api';
import { QueryBreakdown } from '../components/breakdown_select';
import { QueryDateRange } from '../components/date_range_select';
import { FunnelAnswer, funnelAnswerEmpty } from '../components/funnel_answer';
import { InsightTabs } from '../components/insight_tabs';
import { IntervalSelect } from '../components/interval_select';
import { SaveInsight } from '../components/save_insight';
import { Select, withCurrent } from '../components/select';
import { EntityPicker } from '../components/series_picker';
import { useEventNames, useEventPropertyNames } from '../definitions';
import {
  FunnelOrder, funnelFromUrl, FunnelsQuery, MAX_STEPS, ORDERS, stepFromNode, urlForFunnel,
  VIZ_TYPES, VizType, WINDOW_UNITS, WindowUnit,
} from '../funnels_query';
import { defaultPaths, urlForPaths } from '../paths_query';
import { useQueryAnswer } from '../query_answer';
import { queryUpdater } from '../query_edit';
import { useLocation } from '../router';
import { useActions } from './actions';

export function FunnelsPage({ project }: { project: Project }) {
  const query = funnelFromUrl(useLocation());
  const events = useEventNames(project);
  const properties = useEventPropertyNames(project);
  const actions = useActions(project);
  const answer = useQueryAnswer<unknown>(project, query, []);
  const update = queryUpdater(query, urlForFunnel);
  const filter = query.funnelsFilter;
  const viz = filter.funnelVizType;
  const stepOptions = query.series.map((step, i) => ({
    value: String(i), label: `${i + 1}. ${step.name ?? (step.kind === 'EventsNode' ? step.event : '')}` }));

  return (
    <section class="page">
      <InsightTabs current="/insights/funnels" />
      <h1>Funnels</h1>
      <div class="editor">
        <fieldset class="series">
          <legend>Steps</legend>
          {query.series.map((step, i) => (
            <div class="series-row" key={i} data-testid={`step-${i}`}>
              <span class="series-letter">{i + 1}</span>
              <EntityPicker testid={`step-${i}-event`} node={step} events={events}
                            actions={actions} allowAllEvents={false}
                            onChange={(node) => update((q) => {
                              const optional = q.series[i].optionalInFunnel;
                              q.series[i] = stepFromNode(node);
                              if (optional) q.series[i].optionalInFunnel = true;
                            })} />
              {i > 0 && (
                <label class="control checkbox">
                  <input type="checkbox" data-testid={`step-${i}-optional`}
                         checked={step.optionalInFunnel === true}
                         onChange={(e) => update((q) => {
                           if ((e.target as HTMLInputElement).checked) {
                             q.series[i].optionalInFunnel = true;
                           } else {
                             delete q.series[i].optionalInFunnel;
                           }
                         })} />
                  <span>Optional</span>
                </label>
              )}
              {query.series.length > 2 && (
                <button type="button" class="link" onClick={() => update((q) => {
                  q.series.splice(i, 1);
                })}>Remove</button>
              )}
            </div>
          ))}
          {query.series.length < MAX_STEPS && (
            <button type="button" class="link" data-testid="add-step" onClick={() => update((q) => {
              const last = { ...q.series[q.series.length - 1] };
              delete last.optionalInFunnel;
              q.series.push(last);
            })}>+ Add step</button>
          )}
        </fieldset>
        <fieldset class="series" data-testid="exclusions">
          <legend>Exclusions</legend>
          {(filter.exclusions ?? []).map((exclusion, i) => (
            <div class="series-row" key={i} data-testid={`exclusion-${i}`}>
              <Select label="Excluded event" testid={`exclusion-${i}-event`}
                      value={exclusion.event}
                      options={withCurrent(events.map((e) => ({ value: e, label: e })),
                                           exclusion.event)}
                      onChange={(value) => update((q) => {
                        q.funnelsFilter.exclusions![i].event = value;
                      })} />
              <Select label="From step" testid={`exclusion-${i}-from`}
                      value={String(exclusion.funnelFromStep)}
                      options={stepOptions.slice(0, -1)}
                      onChange={(value) => update((q) => {
                        const e = q.funnelsFilter.exclusions![i];
                        e.funnelFromStep = Number(value);
                        if (e.funnelToStep <= e.funnelFromStep) e.funnelToStep = e.funnelFromStep + 1;
                      })} />
              <Select label="To step" testid={`exclusion-${i}-to`}
                      value={String(exclusion.funnelToStep)}
                      options={stepOptions.slice(exclusion.funnelFromStep + 1)}
                      onChange={(value) => update((q) => {
                        q.funnelsFilter.exclusions![i].funnelToStep = Number(value);
                      })} />
              <button type="button" class="link" data-testid={`exclusion-${i}-remove`}
                      onClick={() => update((q) => {
                        q.funnelsFilter.exclusions!.splice(i, 1);
                        if (q.funnelsFilter.exclusions!.length === 0) delete q.funnelsFilter.exclusions;
                      })}>Remove</button>
            </div>
          ))}
          <button type="button" class="link" data-testid="add-exclusion" onClick={() => update((q) => {
            const taken = new Set(q.series.map((s) => (s.kind === 'EventsNode' ? s.event : '')));
            const event = events.find((e) => !taken.has(e)) ?? events[0] ?? '$pageview';
            q.funnelsFilter.exclusions = [...(q.funnelsFilter.exclusions ?? []), {
              kind: 'EventsNode', event, funnelFromStep: 0, funnelToStep: q.series.length - 1 }];
          })}>+ Add exclusion</button>
        </fieldset>
        <div class="controls">
          <Select label="Graph type" testid="funnel-viz" value={viz} options={VIZ_TYPES}
                  onChange={(value) => update((q) => {
                    q.funnelsFilter.funnelVizType = value as VizType;
                    if (value === 'trends') q.interval = q.interval ?? 'day';
                    else delete q.interval;
                  })} />
          {viz !== 'steps' && (
            <Select label="From step" testid="funnel-from-step"
                    value={String(filter.funnelFromStep ?? 0)} options={stepOptions.slice(0, -1)}
                    onChange={(value) => update((q) => { setConversion(q, Number(value), 'from'); })} />
          )}
          {viz !== 'steps' && (
            <Select label="To step" testid="funnel-to-step"
                    value={String(filter.funnelToStep ?? query.series.length - 1)}
                    options={stepOptions.slice((filter.funnelFromStep ?? 0) + 1)}
                    onChange={(value) => update((q) => { setConversion(q, Number(value), 'to'); })} />
          )}
          {viz === 'trends' && (
            <IntervalSelect value={query.interval ?? 'day'}
                            onChange={(value) => update((q) => { q.interval = value; })} />
          )}
          <Select label="Order" testid="funnel-order" value={filter.funnelOrderType}
                  options={ORDERS}
                  onChange={(value) => update((q) => {
                    q.funnelsFilter.funnelOrderType = value as FunnelOrder;
                  })} />
          <label class="control">
            <span>Conversion window</span>
            <input type="number" min={1} max={10000} value={filter.funnelWindowInterval}
                   data-testid="funnel-window" aria-label="Conversion window"
                   onChange={(e) => {
                     const value = Number((e.target as HTMLInputElement).value);
                     if (Number.isInteger(value) && value > 0) {
                       update((q) => { q.funnelsFilter.funnelWindowInterval = value; });
                     }
                   }} />
          </label>
          <Select label="Window unit" testid="funnel-window-unit"
                  value={filter.funnelWindowIntervalUnit}
                  options={WINDOW_UNITS.map((u) => ({ value: u, label: `${u}s` }))}
                  onChange={(value) => update((q) => {
                    q.funnelsFilter.funnelWindowIntervalUnit = value as WindowUnit;
                  })} />
          <QueryBreakdown properties={properties} query={query} update={update} />
          <QueryDateRange query={query} update={update} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {viz === 'steps' && (
        <p><a data-testid="funnel-paths-link" href={urlForPaths({
          ...defaultPaths(),
          pathsFilter: { ...defaultPaths().pathsFilter,
                         includeEventTypes: ['$pageview', 'custom_event'] },
          funnelPathsFilter: { funnelSource: query, funnelPathType: 'funnel_path_after_step',
                               funnelStep: 1 },
        })}>Paths of this funnel's persons</a></p>
      )}
      {answer.state === 'loading' && <p class="muted" data-testid="funnel-loading">Loading…</p>}
      {answer.state === 'error' && (
        <p class="error" role="alert" data-testid="funnel-error"
           data-query={JSON.stringify(query)}>{answer.message}</p>
      )}
      {answer.state === 'done' && (
        <div data-testid="funnel-answer" data-query={JSON.stringify(query)}>
          {funnelAnswerEmpty(viz, answer.results)
            ? <p class="muted" data-testid="funnel-empty">
                {viz === 'time_to_convert' ? 'Nobody converted in this range.'
                  : 'Nobody entered this funnel in this range.'}
              </p>
            : <FunnelAnswer viz={viz} results={answer.results} />}
        </div>
      )}
    </section>
  );
}

// The conversion measured by time to convert and trends: from one step to a later one.
function setConversion(q: FunnelsQuery, step: number, end: 'from' | 'to') {
  const filter = q.funnelsFilter;
  const last = q.series.length - 1;
  if (end === 'from') {
    filter.funnelFromStep = step;
    if ((filter.funnelToStep ?? last) <= step) filter.funnelToStep = step + 1;
  } else {
    filter.funnelToStep = step;
  }
}
