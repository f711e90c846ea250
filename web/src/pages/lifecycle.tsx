// Insights → Lifecycle: one series (an event or action), interval and date range; the answer of
// the query API as stacked bars of new, returning, resurrecting and dormant persons per period,
// and as a table, showing the statuses toggled on. A bar or a count lists its persons. The query
// lives in the URL (lifecycle_query.ts).
import { useState } from 'preact/hooks';
import { Project } from '../api';
import { QueryDateRange } from '../components/date_range_select';
import { InsightPage } from '../components/insight_page';
import { InsightPersons } from '../components/insight_persons';
import { IntervalSelect } from '../components/interval_select';
import { LifecycleBar, LifecycleChart } from '../components/lifecycle_chart';
import { EntityPicker } from '../components/series_picker';
import { useEventNames } from '../definitions';
import {
  lifecycleFromUrl, LifecycleResult, LifecycleStatus, shownStatuses, STATUSES,
  urlForLifecycle,
} from '../lifecycle_query';
import { useQueryAnswer } from '../query_answer';
import { queryUpdater } from '../query_edit';
import { useLocation } from '../router';
import { useActions } from './actions';

export function LifecyclePage({ project }: { project: Project }) {
  const query = lifecycleFromUrl(useLocation());
  const events = useEventNames(project);
  const actions = useActions(project);
  const answer = useQueryAnswer<LifecycleResult[]>(project, query, []);
  const key = JSON.stringify(query);
  const [bar, setBar] = useState<{ key: string; bar: LifecycleBar } | null>(null);
  const update = queryUpdater(query, urlForLifecycle);
  const results = answer.state === 'done' ? answer.results : [];
  const shownBar = bar?.key === key ? bar.bar : null;
  const pick = (picked: LifecycleBar) => setBar({ key, bar: picked });
  const shown = shownStatuses(query);
  const toggle = (status: LifecycleStatus, on: boolean) => update((q) => {
    const next = STATUSES.map((s) => s.status)
      .filter((s) => (s === status ? on : shown.includes(s)));
    if (next.length === STATUSES.length) delete q.lifecycleFilter;
    else q.lifecycleFilter = { toggledLifecycles: next };
  });

  return (
    <InsightPage name="lifecycle" title="Lifecycle" project={project} query={query} answer={answer}
                 emptyText="No result."
                 editor={<>
                   <fieldset class="series">
                     <legend>Series</legend>
                     <div class="series-row" data-testid="series-0">
                       <EntityPicker testid="series-0-event" node={query.series[0]} events={events}
                                     actions={actions} allowAllEvents={true}
                                     onChange={(picked) => update((q) => { q.series = [picked]; })} />
                     </div>
                   </fieldset>
                   <div class="controls">
                     <QueryDateRange query={query} update={update} />
                     <IntervalSelect value={query.interval}
                                     onChange={(value) => update((q) => { q.interval = value; })} />
                     <fieldset class="toggles">
                       <legend>Show</legend>
                       {STATUSES.map(({ status, color }) => (
                         <label key={status}>
                           <input type="checkbox" checked={shown.includes(status)}
                                  data-testid={`lifecycle-toggle-${status}`}
                                  onChange={(e) => toggle(status,
                                                          (e.target as HTMLInputElement).checked)} />
                           <span class="swatch" style={{ backgroundColor: color }} />{status}
                         </label>
                       ))}
                     </fieldset>
                   </div>
                 </>}
                 opened={shownBar && results[0] && (
                   <InsightPersons
                     key={`${key}/${shownBar.status}/${shownBar.index}`} project={project}
                     title={`${shownBar.status} on ${results[0].labels[shownBar.index]}`}
                     query={{ kind: 'ActorsQuery', select: ['person'],
                              source: { kind: 'InsightActorsQuery', status: shownBar.status,
                                        day: results[0].days[shownBar.index], source: query } }}
                     onClose={() => setBar(null)} />
                 )}>
      {(shownResults) => <>
        <LifecycleChart results={shownResults} shown={shown} onBar={pick} />
        <LifecycleTable results={shownResults} shown={shown} onCount={pick} />
      </>}
    </InsightPage>
  );
}

// The answer as a table: a row per status, a column per period; a count lists its persons.
function LifecycleTable({ results, shown, onCount }: { results: LifecycleResult[];
                                                       shown: LifecycleStatus[];
                                                       onCount: (bar: LifecycleBar) => void }) {
  const labels = results[0].labels;
  const rows = STATUSES.filter(({ status }) => shown.includes(status))
    .map(({ status, color }) => ({ status, color, result: results.find((r) => r.status === status) }));
  return (
    <div class="table-scroll">
      <table data-testid="lifecycle-table">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Total</th>
            {labels.map((label) => <th scope="col" key={label}>{label}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ status, color, result }) => result && (
            <tr key={status} data-testid="lifecycle-row" data-status={status}>
              <th scope="row"><span class="swatch" style={{ backgroundColor: color }} />{status}</th>
              <td data-testid="lifecycle-total">{result.count}</td>
              {result.data.map((value, j) => (
                <td key={j} data-testid="lifecycle-value">
                  <button type="button" class="cell" onClick={() => onCount({ status, index: j })}
                          aria-label={`${status} on ${labels[j]}: ${Math.abs(value)} persons`}>
                    {value}</button>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
