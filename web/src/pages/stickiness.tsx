// Insights → Stickiness: series (events or actions), interval and date range; the answer of the
// query API as a line of persons per number of intervals they were active in, and as a table
// whose counts list their persons. The query lives in the URL (stickiness_query.ts).
import { useState } from 'preact/hooks';
import { Project } from '../api';
import { QueryDateRange } from '../components/date_range_select';
import { InsightPage } from '../components/insight_page';
import { InsightPersons } from '../components/insight_persons';
import { IntervalSelect } from '../components/interval_select';
import { LineChart } from '../components/line_chart';
import { Select } from '../components/select';
import { EntityPicker } from '../components/series_picker';
import { useEventNames } from '../definitions';
import { useQueryAnswer } from '../query_answer';
import { queryUpdater } from '../query_edit';
import { useLocation } from '../router';
import {
  MAX_SERIES, MODES, StickinessMode, StickinessResult, stickinessFromUrl,
  urlForStickiness,
} from '../stickiness_query';
import { useActions } from './actions';

export function StickinessPage({ project }: { project: Project }) {
  const query = stickinessFromUrl(useLocation());
  const events = useEventNames(project);
  const actions = useActions(project);
  const answer = useQueryAnswer<StickinessResult[]>(project, query, []);
  const key = JSON.stringify(query);
  const [bar, setBar] = useState<{ key: string; series: number; index: number } | null>(null);
  const update = queryUpdater(query, urlForStickiness);
  const results = answer.state === 'done' ? answer.results : [];
  const shownBar = bar?.key === key ? bar : null;

  return (
    <InsightPage name="stickiness" title="Stickiness" project={project} query={query}
                 answer={answer} emptyText="No series."
                 editor={<>
                   <fieldset class="series">
                     <legend>Series</legend>
                     {query.series.map((node, i) => (
                       <div class="series-row" key={i} data-testid={`series-${i}`}>
                         <span class="series-letter">{String.fromCharCode(65 + i)}</span>
                         <EntityPicker testid={`series-${i}-event`} node={node} events={events}
                                       actions={actions} allowAllEvents={true}
                                       onChange={(picked) => update((q) => { q.series[i] = picked; })} />
                         {query.series.length > 1 && (
                           <button type="button" class="link" onClick={() => update((q) => {
                             q.series.splice(i, 1);
                           })}>Remove</button>
                         )}
                       </div>
                     ))}
                     {query.series.length < MAX_SERIES && (
                       <button type="button" class="link" data-testid="add-series"
                               onClick={() => update((q) => {
                                 q.series.push({ kind: 'EventsNode', event: null, name: 'All events' });
                               })}>+ Add series</button>
                     )}
                   </fieldset>
                   <div class="controls">
                     <Select label="Count persons active in" testid="stickiness-mode"
                             value={query.stickinessFilter.computedAs} options={MODES}
                             onChange={(value) => update((q) => {
                               q.stickinessFilter.computedAs = value as StickinessMode;
                             })} />
                     <QueryDateRange query={query} update={update} />
                     <IntervalSelect value={query.interval}
                                     onChange={(value) => update((q) => { q.interval = value; })} />
                   </div>
                 </>}
                 opened={shownBar && results[shownBar.series] && (
                   <InsightPersons
                     key={`${key}/${shownBar.series}/${shownBar.index}`} project={project}
                     title={`${results[shownBar.series].label}: ${
                       results[shownBar.series].labels[shownBar.index]}`}
                     query={{ kind: 'ActorsQuery', select: ['person'],
                              source: { kind: 'InsightActorsQuery', series: shownBar.series,
                                        day: results[shownBar.series].days[shownBar.index],
                                        source: query } }}
                     onClose={() => setBar(null)} />
                 )}>
      {(shownResults) => (
        <StickinessAnswer results={shownResults}
                          onCount={(series, index) => setBar({ key, series, index })} />
      )}
    </InsightPage>
  );
}

// The chart and the table of one answer; a count lists its persons.
function StickinessAnswer({ results, onCount }: { results: StickinessResult[];
                                                  onCount: (series: number, index: number) => void }) {
  const labels = results[0].labels;
  return (
    <div>
      <LineChart results={results} />
      <div class="table-scroll">
        <table data-testid="stickiness-table">
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Persons</th>
              {labels.map((label) => <th scope="col" key={label}>{label}</th>)}
            </tr>
          </thead>
          <tbody>
            {results.map((result, i) => (
              <tr key={i} data-testid="stickiness-row">
                <th scope="row">{result.label}</th>
                <td data-testid="stickiness-total">{result.count}</td>
                {result.data.map((value, j) => (
                  <td key={j} data-testid="stickiness-value">
                    <button type="button" class="cell" onClick={() => onCount(i, j)}
                            aria-label={`${result.label}, ${labels[j]}: ${value} persons`}>
                      {value}</button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
