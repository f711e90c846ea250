// Insights → Funnels: the steps (events or actions), the order, the conversion window, a
// breakdown and the date range; the answer of the query API as bars per step (or a table per
// breakdown value). The query lives in the URL (funnels_query.ts).
import { Project } from '../api';
import { BreakdownSelect } from '../components/breakdown_select';
import { DateRangeSelect } from '../components/date_range_select';
import { FunnelBars } from '../components/funnel_bars';
import { InsightTabs } from '../components/insight_tabs';
import { SaveInsight } from '../components/save_insight';
import { Select } from '../components/select';
import { EntityPicker } from '../components/series_picker';
import { useEventNames, useEventPropertyNames } from '../definitions';
import {
  FunnelOrder, funnelFromUrl, funnelLines, MAX_STEPS, ORDERS, stepFromNode,
  urlForFunnel, WINDOW_UNITS, WindowUnit,
} from '../funnels_query';
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
                              q.series[i] = stepFromNode(node);
                            })} />
              {query.series.length > 2 && (
                <button type="button" class="link" onClick={() => update((q) => {
                  q.series.splice(i, 1);
                })}>Remove</button>
              )}
            </div>
          ))}
          {query.series.length < MAX_STEPS && (
            <button type="button" class="link" data-testid="add-step" onClick={() => update((q) => {
              q.series.push({ ...q.series[q.series.length - 1] });
            })}>+ Add step</button>
          )}
        </fieldset>
        <div class="controls">
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
          <BreakdownSelect properties={properties} value={query.breakdownFilter}
                           onChange={(filter) => update((q) => {
                             if (filter) q.breakdownFilter = filter;
                             else delete q.breakdownFilter;
                           })} />
          <DateRangeSelect value={query.dateRange.date_from}
                           onChange={(value) => update((q) => {
                             q.dateRange = { date_from: value };
                           })} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="funnel-loading">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <div data-testid="funnel-answer" data-query={JSON.stringify(query)}>
          {funnelLines(answer.results).length === 0
            ? <p class="muted" data-testid="funnel-empty">Nobody entered this funnel in this range.</p>
            : <FunnelBars lines={funnelLines(answer.results)} />}
        </div>
      )}
    </section>
  );
}
