// The Trends displays drawn without uPlot: bars per bucket (ActionsBar), one big number
// (BoldNumber), a pie (ActionsPie) and a table of totals (ActionsTable). Each bar, slice and
// total is clickable when `onPoint` is given (its persons). Labels come from SDKs (breakdown
// values) and are SVG text / table text, never markup; values are on the elements (data-value)
// for tests to read.
import type { TrendsResult } from '../trends_query';
import { colorAt, COLOR_TOKENS, colorOfToken, ColorToken } from '../line_colors';

type OnPoint = ((result: number, index?: number) => void) | undefined;
// Line i is hidden from the bars and the pie when hidden[i] (each line keeps its colour, which
// is colors[i] when given, else its place's).
type Hidden = boolean[];

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

// The total a total-value display shows for a line.
export function totalOf(result: TrendsResult): number {
  return result.aggregated_value ?? result.count;
}

// Bars per bucket, the lines' bars side by side.
export function BarChart({ results, onPoint, hidden = [], colors }: {
  results: TrendsResult[]; onPoint: OnPoint; hidden?: Hidden; colors?: string[];
}) {
  const labels = results[0].labels;
  const shown = results.map((_, i) => i).filter((i) => !hidden[i]);
  const width = 800;
  const height = 300;
  const top = 10;
  const bottom = 40;
  const left = 40;
  const max = Math.max(1, ...shown.flatMap((i) => results[i].data));
  const slot = (width - left) / Math.max(labels.length, 1);
  const bar = (slot * 0.8) / Math.max(shown.length, 1);
  const y = (value: number) => top + (height - top - bottom) * (1 - value / max);
  return (
    <svg class="trends-bars" data-testid="trends-bars" viewBox={`0 0 ${width} ${height}`}
         role="img" aria-label="Bar chart"
         data-series={JSON.stringify(shown.map((i) => ({ label: results[i].label,
                                                         data: results[i].data })))}>
      <line x1={left} x2={width} y1={y(0)} y2={y(0)} class="axis" />
      <text x={left - 4} y={y(max) + 4} class="tick" text-anchor="end">{formatNumber(max)}</text>
      <text x={left - 4} y={y(0) + 4} class="tick" text-anchor="end">0</text>
      {labels.map((label, j) => (
        <text key={j} x={left + slot * (j + 0.5)} y={height - bottom + 16} class="tick"
              text-anchor="middle">{labels.length > 16 && j % 2 ? '' : label}</text>
      ))}
      {shown.map((i, place) => results[i].data.map((value, j) => (
        <rect key={`${i}-${j}`} data-testid="trends-bar" data-series={i} data-index={j}
              data-value={value} x={left + slot * j + slot * 0.1 + bar * place} y={y(value)}
              width={Math.max(bar - 1, 1)} height={Math.max(y(0) - y(value), 0)}
              fill={colorAt(i, colors)} class={onPoint ? 'clickable' : undefined}
              onClick={() => onPoint?.(i, j)}>
          <title>{`${results[i].label}, ${labels[j]}: ${formatNumber(value)}`}</title>
        </rect>
      )))}
    </svg>
  );
}

// The first line's total in large type (and the compared period's below it).
export function BoldNumber({ results, onPoint }: { results: TrendsResult[]; onPoint: OnPoint }) {
  const previous = results.findIndex((r) => r.compare_label === 'previous');
  const value = totalOf(results[0]);
  return (
    <div class="bold-number">
      <button type="button" class="cell" data-testid="trends-number" data-value={value}
              disabled={!onPoint} onClick={() => onPoint?.(0)}>{formatNumber(value)}</button>
      <p class="muted">{results[0].label}</p>
      {previous > 0 && (
        <p class="muted" data-testid="trends-number-previous" data-value={totalOf(results[previous])}>
          Previous period: {formatNumber(totalOf(results[previous]))}</p>
      )}
    </div>
  );
}

// A slice per line, as large as its share of the totals.
export function PieChart({ results, onPoint, hidden = [], colors }: {
  results: TrendsResult[]; onPoint: OnPoint; hidden?: Hidden; colors?: string[];
}) {
  const totals = results.map((result, i) => (hidden[i] ? 0 : totalOf(result)));
  const sum = totals.reduce((a, b) => a + Math.max(b, 0), 0);
  let angle = -Math.PI / 2;
  const point = (a: number) => `${100 + 90 * Math.cos(a)} ${100 + 90 * Math.sin(a)}`;
  return (
    <div class="trends-pie">
      <svg viewBox="0 0 200 200" role="img" aria-label="Pie chart" data-testid="trends-pie">
        {results.map((result, i) => {
          const share = sum > 0 ? Math.max(totals[i], 0) / sum : 0;
          const start = angle;
          angle += share * 2 * Math.PI;
          const path = share >= 0.9999
            ? 'M 100 10 A 90 90 0 1 1 99.99 10 Z'
            : `M 100 100 L ${point(start)} A 90 90 0 ${share > 0.5 ? 1 : 0} 1 ${point(angle)} Z`;
          return (
            <path key={i} d={share > 0 ? path : ''} fill={colorAt(i, colors)}
                  data-testid="trends-pie-slice" data-label={result.label} data-value={totals[i]}
                  class={onPoint ? 'clickable' : undefined} onClick={() => onPoint?.(i)}>
              <title>{`${result.label}: ${formatNumber(totals[i])}`}</title>
            </path>
          );
        })}
      </svg>
      <ul class="legend">
        {results.map((result, i) => !hidden[i] && (
          <li key={i}>
            <svg class="swatch" width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={colorAt(i, colors)} />
            </svg>
            {result.label}: {formatNumber(totals[i])}
            {sum > 0 ? ` (${(100 * Math.max(totals[i], 0) / sum).toFixed(1)}%)` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

// A line's row header: its label, and with `onShown` a checkbox showing or hiding it in the
// charts; with `onColor` its colour too, picked from the palette.
export function LineHeader({ result, index, hidden, onShown, color, onColor }: {
  result: TrendsResult; index: number; hidden: boolean;
  onShown?: (index: number, shown: boolean) => void;
  color?: string; onColor?: (index: number, token: ColorToken) => void;
}) {
  if (!onShown) return <th scope="row">{result.label}</th>;
  return (
    <th scope="row" data-hidden={hidden ? 'true' : undefined}>
      {onColor && color && (
        <ColorPicker label={result.label} color={color} onPick={(token) => onColor(index, token)} />
      )}
      <label class="line-shown">
        <input type="checkbox" data-testid="trends-line-shown" checked={!hidden}
               aria-label={`Show ${result.label} in the chart`}
               onChange={(e) => onShown(index, (e.target as HTMLInputElement).checked)} />
        {result.label}
      </label>
    </th>
  );
}

// A swatch of a line's colour that opens the palette; a colour picked closes it.
function ColorPicker({ label, color, onPick }: {
  label: string; color: string; onPick: (token: ColorToken) => void;
}) {
  return (
    <details class="line-color" data-testid="line-color" data-color={color}>
      <summary aria-label={`Colour of ${label}`} title="Colour">
        <span class="swatch" style={{ background: color }} />
      </summary>
      <div class="palette" role="group" aria-label={`Colours for ${label}`}>
        {COLOR_TOKENS.map((token, i) => (
          <button key={token} type="button" data-testid="line-color-choice" data-token={token}
                  aria-label={`Colour ${i + 1}`} aria-pressed={colorOfToken(token) === color}
                  style={{ background: colorOfToken(token) }}
                  onClick={(e) => {
                    (e.currentTarget as HTMLElement).closest('details')?.removeAttribute('open');
                    onPick(token);
                  }} />
        ))}
      </div>
    </details>
  );
}

// A row per line with its total over the range.
export function TotalsTable({ results, onPoint, hidden = [], onShown, colors, onColor }: {
  results: TrendsResult[]; onPoint: OnPoint; hidden?: Hidden;
  onShown?: (index: number, shown: boolean) => void;
  colors?: string[]; onColor?: (index: number, token: ColorToken) => void;
}) {
  return (
    <div class="table-scroll">
      <table data-testid="trends-totals-table">
        <thead><tr><th scope="col">Series</th><th scope="col">Total</th></tr></thead>
        <tbody>
          {results.map((result, i) => (
            <tr key={i} data-testid="trends-totals-row">
              <LineHeader result={result} index={i} hidden={hidden[i] === true} onShown={onShown}
                          color={colorAt(i, colors)} onColor={onColor} />
              <td data-testid="trends-totals-value" data-value={totalOf(result)}>
                <button type="button" class="cell" disabled={!onPoint}
                        onClick={() => onPoint?.(i)}>{formatNumber(totalOf(result))}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
