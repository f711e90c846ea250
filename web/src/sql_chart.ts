// How a SQL insight's answer is drawn: PostHog's DataVisualizationNode `display` (a table, a line,
// bar or stacked-area chart, or one number) and its `chartSettings` (the column along the x axis,
// the columns drawn as lines or bars). Read leniently, like the editors' queries: an unknown
// display is the table, a column the answer lacks is left out, and without chosen columns the
// first column is the x axis and every other column holding only numbers is drawn.
import { cellText } from './components/data_table';

export type SqlDisplay = 'ActionsTable' | 'ActionsLineGraph' | 'ActionsBar' | 'ActionsAreaGraph'
  | 'BoldNumber';

export const SQL_DISPLAYS: { value: SqlDisplay; label: string }[] = [
  { value: 'ActionsTable', label: 'Table' },
  { value: 'ActionsLineGraph', label: 'Line chart' },
  { value: 'ActionsBar', label: 'Bar chart' },
  { value: 'ActionsAreaGraph', label: 'Stacked area' },
  { value: 'BoldNumber', label: 'Number' },
];

export interface ChartAxis { column: string }

// The node's fields beside its source; none for the plain table.
export interface SqlChart {
  display?: Exclude<SqlDisplay, 'ActionsTable'>;
  chartSettings?: { xAxis?: ChartAxis; yAxis?: ChartAxis[] };
}

export const MAX_Y_COLUMNS = 20;
const MAX_COLUMN_NAME = 200;

function axisFromRaw(raw: any): ChartAxis | undefined {
  const column = raw?.column;
  return typeof column === 'string' && column !== '' && column.length <= MAX_COLUMN_NAME
    ? { column } : undefined;
}

export function sqlChartFromRaw(raw: any): SqlChart {
  const chart: SqlChart = {};
  if (!raw || typeof raw !== 'object') return chart;
  const display = SQL_DISPLAYS.find((d) => d.value === raw.display)?.value;
  if (display && display !== 'ActionsTable') chart.display = display;
  const settings = raw.chartSettings;
  if (!settings || typeof settings !== 'object') return chart;
  const xAxis = axisFromRaw(settings.xAxis);
  const yAxis = (Array.isArray(settings.yAxis) ? settings.yAxis : [])
    .map(axisFromRaw).filter((axis: ChartAxis | undefined): axis is ChartAxis => axis !== undefined)
    .slice(0, MAX_Y_COLUMNS);
  if (xAxis || yAxis.length) {
    chart.chartSettings = {};
    if (xAxis) chart.chartSettings.xAxis = xAxis;
    if (yAxis.length) chart.chartSettings.yAxis = yAxis;
  }
  return chart;
}

// The chart as a URL parameter's value, and back ('' for the table).
export function sqlChartParam(chart: SqlChart): string {
  return chart.display || chart.chartSettings ? JSON.stringify(chart) : '';
}

// The SQL editor's URL for a query and its chart.
export function sqlUrl(query: string, chart: SqlChart): string {
  const param = sqlChartParam(chart);
  return `/sql?q=${encodeURIComponent(query)}${param ? `&chart=${encodeURIComponent(param)}` : ''}`;
}

export function sqlChartFromParam(param: string | null): SqlChart {
  if (!param) return {};
  try {
    return sqlChartFromRaw(JSON.parse(param));
  } catch {
    return {};
  }
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

// The columns an answer's chart uses: the x axis's index (-1 for an answer of one column, drawn
// over its rows' numbers), and those of the drawn columns.
export function chartColumns(chart: SqlChart, columns: string[],
                             rows: unknown[][]): { x: number; ys: number[] } {
  const chosenX = columns.indexOf(chart.chartSettings?.xAxis?.column ?? '');
  const x = columns.length === 1 ? -1 : chosenX >= 0 ? chosenX : 0;
  const chosen = (chart.chartSettings?.yAxis ?? []).map((axis) => columns.indexOf(axis.column))
    .filter((i, place, all) => i >= 0 && i !== x && all.indexOf(i) === place);
  if (chosen.length) return { x, ys: chosen };
  const numeric = columns.map((_, i) => i).filter((i) => i !== x && rows.length > 0 &&
    rows.every((row) => row[i] === null || asNumber(row[i]) !== null));
  return { x, ys: numeric.slice(0, MAX_Y_COLUMNS) };
}

// One line of the chart: a column's values over the rows (a value that is not a number is 0),
// named by the column; `labels` are the x axis column's values as text.
export interface SqlLine { label: string; data: number[]; labels: string[] }

export function sqlChartLines(chart: SqlChart, columns: string[], rows: unknown[][]): SqlLine[] {
  const { x, ys } = chartColumns(chart, columns, rows);
  const labels = rows.map((row, i) => (x >= 0 ? cellText(row[x]) : String(i + 1)));
  return ys.map((i) => ({ label: columns[i], labels,
                         data: rows.map((row) => asNumber(row[i]) ?? 0) }));
}
