// Insights → Trends: series (event and math), breakdown, date range and interval; the answer of
// the query API as a line chart and a table. The query lives in the URL (trends_query.ts).
import { annotationMarkers, useAnnotations } from '../annotations';
import { Project } from '../api';
import { BreakdownSelect } from '../components/breakdown_select';
import { DateRangeSelect } from '../components/date_range_select';
import { InsightTabs } from '../components/insight_tabs';
import { IntervalSelect } from '../components/interval_select';
import { ChartMarker, LineChart } from '../components/line_chart';
import { SaveInsight } from '../components/save_insight';
import { Select } from '../components/select';
import { EntityPicker } from '../components/series_picker';
import { useEventNames, useEventPropertyNames } from '../definitions';
import { useQueryAnswer } from '../query_answer';
import { navigate, useLocation } from '../router';
import { useActions } from './actions';
import {
  MATHS, MathType, queryFromUrl, TrendsQuery, TrendsResult, urlForQuery,
} from '../trends_query';

export function TrendsPage({ project }: { project: Project }) {
  const location = useLocation();
  const query = queryFromUrl(location);
  const events = useEventNames(project);
  const properties = useEventPropertyNames(project);
  const answer = useQueryAnswer<TrendsResult[]>(project, query, []);
  const actions = useActions(project);
  const annotations = useAnnotations(project);
  const update = (change: (q: TrendsQuery) => void) => {
    const next: TrendsQuery = JSON.parse(JSON.stringify(query));
    change(next);
    navigate(urlForQuery(next));
  };

  return (
    <section class="page">
      <InsightTabs current="/insights/trends" />
      <h1>Trends</h1>
      <div class="editor">
        <fieldset class="series">
          <legend>Series</legend>
          {query.series.map((node, i) => (
            <div class="series-row" key={i} data-testid={`series-${i}`}>
              <span class="series-letter">{String.fromCharCode(65 + i)}</span>
              <EntityPicker testid={`series-${i}-event`} node={node} events={events}
                            actions={actions} allowAllEvents={true}
                            onChange={(picked) => update((q) => {
                              q.series[i] = { ...picked, math: q.series[i].math };
                            })} />
              <Select label="Math" testid={`series-${i}-math`} value={node.math}
                      options={MATHS}
                      onChange={(value) => update((q) => {
                        q.series[i].math = value as MathType;
                      })} />
              {query.series.length > 1 && (
                <button type="button" class="link" onClick={() => update((q) => {
                  q.series.splice(i, 1);
                })}>Remove</button>
              )}
            </div>
          ))}
          {query.series.length < 10 && (
            <button type="button" class="link" data-testid="add-series" onClick={() => update((q) => {
              q.series.push({ kind: 'EventsNode', event: null, name: 'All events', math: 'total' });
            })}>+ Add series</button>
          )}
        </fieldset>
        <div class="controls">
          <BreakdownSelect properties={properties} value={query.breakdownFilter}
                           onChange={(filter) => update((q) => {
                             if (filter) q.breakdownFilter = filter;
                             else delete q.breakdownFilter;
                           })} />
          <DateRangeSelect value={query.dateRange.date_from}
                           onChange={(value) => update((q) => {
                             q.dateRange = { date_from: value };
                           })} />
          <IntervalSelect value={query.interval}
                          onChange={(value) => update((q) => {
                            q.interval = value;
                          })} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="trends-loading">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <TrendsAnswer results={answer.results} queryKey={JSON.stringify(query)}
                      markers={annotationMarkers(annotations, answer.results[0]?.days ?? [],
                                                 project.timezone ?? 'UTC')} />
      )}
    </section>
  );
}

// The chart and table of one answer; data-query names the query it answers.
function TrendsAnswer({ results, queryKey, markers }: { results: TrendsResult[]; queryKey: string;
                                                        markers: ChartMarker[] }) {
  if (results.length === 0) {
    return <p class="muted" data-testid="trends-empty" data-query={queryKey}>No events in this range.</p>;
  }
  const labels = results[0].labels;
  return (
    <div data-testid="trends-answer" data-query={queryKey}>
      <LineChart results={results} markers={markers} />
      {markers.length > 0 && (
        <ul class="chart-annotations" aria-label="Annotations">
          {markers.map((marker, i) => (
            <li key={i} data-testid="chart-annotation">
              <span class="muted-inline">{labels[marker.index]}</span> {marker.label}
            </li>
          ))}
        </ul>
      )}
      <div class="table-scroll" tabIndex={0}>
        <table data-testid="trends-table">
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Total</th>
              {labels.map((label) => <th scope="col" key={label}>{label}</th>)}
            </tr>
          </thead>
          <tbody>
            {results.map((result, i) => (
              <tr key={i} data-testid="trends-row">
                <th scope="row">{result.label}</th>
                <td data-testid="trends-total">{result.count}</td>
                {result.data.map((value, j) => <td key={j} data-testid="trends-value">{value}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
