// The answer of a TrendsQuery as its display draws it: a line, stacked-area or cumulative chart
// (uPlot) or bars per bucket, each with the table of every bucket; or one total per line as a
// number, a pie, a table or a world map. data-query names the query it answers. Labels come from
// SDKs (event names, breakdown values) and are text. `hidden` lines are left out of the charts
// and stay in the tables, where `onShown` gives each line a checkbox to show or hide it, and
// `onColor` a palette to pick its colour from (`colors`: each line's, else its place's). As a
// dashboard tile (`tile`) a display shows without the tables under it (the Table display is
// its table).
import { colorAt, ColorToken } from '../line_colors';
import type { Display, TrendsResult } from '../trends_query';
import { TOTAL_DISPLAYS } from '../trends_query';
import { ChartMarker, LineChart } from './line_chart';
import {
  BarChart, BoldNumber, LineHeader, PieChart, TotalsTable, totalOf,
} from './trends_displays';
import { WorldMap } from './world_map';

type OnPoint = ((result: number, index?: number) => void) | undefined;
type OnShown = ((index: number, shown: boolean) => void) | undefined;
type OnColor = ((index: number, token: ColorToken) => void) | undefined;

export function TrendsAnswer({ results, queryKey, display, markers, onPoint, hidden = [],
                               onShown, colors, onColor, tile = false }: {
  results: TrendsResult[]; queryKey: string; display: Display; markers: ChartMarker[];
  onPoint: OnPoint; hidden?: boolean[]; onShown?: OnShown; colors?: string[]; onColor?: OnColor;
  tile?: boolean;
}) {
  if (results.length === 0) {
    return <p class="muted" data-testid="trends-empty" data-query={queryKey}>No events in this range.</p>;
  }
  const totals = TOTAL_DISPLAYS.includes(display);
  return (
    <div data-testid="trends-answer" data-query={queryKey} data-display={display}>
      {display === 'BoldNumber' && <BoldNumber results={results} onPoint={onPoint} />}
      {display === 'ActionsPie' && (
        <PieChart results={results} onPoint={onPoint} hidden={hidden} colors={colors} />
      )}
      {display === 'WorldMap' && <CountryMap results={results} onPoint={onPoint} />}
      {totals && display !== 'BoldNumber' && (!tile || display === 'ActionsTable') && (
        <TotalsTable results={results} onPoint={onPoint} hidden={hidden} colors={colors}
                     onShown={display === 'ActionsPie' ? onShown : undefined}
                     onColor={display === 'ActionsPie' ? onColor : undefined} />
      )}
      {display === 'ActionsBar' && (
        <BarChart results={results} onPoint={onPoint} hidden={hidden} colors={colors} />
      )}
      {!totals && display !== 'ActionsBar' && (
        <LineChart results={results} markers={markers} hidden={hidden} colors={colors}
                   kind={display === 'ActionsAreaGraph' ? 'area' : 'line'}
                   onPoint={onPoint && ((result, index) => onPoint(result, index))} />
      )}
      {!totals && markers.length > 0 && (
        <ul class="chart-annotations" aria-label="Annotations">
          {markers.map((marker, i) => (
            <li key={i} data-testid="chart-annotation">
              <span class="muted-inline">{results[0].labels[marker.index]}</span> {marker.label}
            </li>
          ))}
        </ul>
      )}
      {!totals && !tile && (
        <BucketsTable results={results} onPoint={onPoint} hidden={hidden} onShown={onShown}
                      colors={colors} onColor={onColor} />
      )}
    </div>
  );
}

// Each line's total and its value in every bucket; a value lists its persons.
function BucketsTable({ results, onPoint, hidden, onShown, colors, onColor }: {
  results: TrendsResult[]; onPoint: OnPoint; hidden: boolean[]; onShown: OnShown;
  colors?: string[]; onColor: OnColor;
}) {
  const labels = results[0].labels;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table data-testid="trends-table">
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Total</th>
            {labels.map((label, j) => <th scope="col" key={j}>{label}</th>)}
          </tr>
        </thead>
        <tbody>
          {results.map((result, i) => (
            <tr key={i} data-testid="trends-row">
              <LineHeader result={result} index={i} hidden={hidden[i] === true} onShown={onShown}
                          color={colorAt(i, colors)} onColor={onColor} />
              <td data-testid="trends-total">{result.count}</td>
              {result.data.map((value, j) => (
                <td key={j} data-testid="trends-value">
                  {onPoint
                    ? <button type="button" class="cell" onClick={() => onPoint(i, j)}
                              aria-label={`${result.label}, ${result.labels[j] ?? ''}: ${value}`}>
                        {value}</button>
                    : value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// The world map of the first series' lines (a breakdown by country code).
function CountryMap({ results, onPoint }: { results: TrendsResult[]; onPoint: OnPoint }) {
  const totals = new Map<string, number>();
  const lineOf = new Map<string, number>();
  results.forEach((result, i) => {
    if ((result.action?.order ?? 0) !== 0 || result.compare_label === 'previous') return;
    const code = String(result.breakdown_value ?? '').toUpperCase();
    totals.set(code, totalOf(result));
    lineOf.set(code, i);
  });
  return <WorldMap totals={totals}
                   onCountry={onPoint && ((code) => onPoint(lineOf.get(code) ?? 0))} />;
}
