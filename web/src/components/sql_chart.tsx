// A SQL answer as its chart draws it (sql_chart.ts): the table, a line, bar or stacked-area chart
// of the drawn columns over the x axis column, or the first drawn value as one number; and the
// controls choosing the display and the columns. Column names and values are text.
import {
  chartColumns, MAX_Y_COLUMNS, SQL_DISPLAYS, SqlChart, SqlDisplay, sqlChartLines,
} from '../sql_chart';
import type { TrendsResult } from '../trends_query';
import { DataTable } from './data_table';
import { LineChart } from './line_chart';
import { Select } from './select';
import { BarChart, BoldNumber } from './trends_displays';

// A line as the Trends displays take it, its total the sum of its values (a number's: the first).
function asResult(line: { label: string; data: number[]; labels: string[] },
                  display: SqlDisplay): TrendsResult {
  return { label: line.label, data: line.data, labels: line.labels, days: line.labels,
           count: line.data.reduce((a, b) => a + b, 0),
           ...(display === 'BoldNumber' ? { aggregated_value: line.data[0] ?? 0 } : {}) };
}

export function SqlChartView({ chart, columns, rows, tableTestid }: {
  chart: SqlChart; columns: string[]; rows: unknown[][]; tableTestid: string;
}) {
  const display = chart.display ?? 'ActionsTable';
  const table = <DataTable columns={columns} rows={rows} testid={tableTestid} />;
  if (display === 'ActionsTable') return table;
  const lines = sqlChartLines(chart, columns, rows);
  if (lines.length === 0 || rows.length === 0) {
    return (
      <div>
        <p class="muted" data-testid="sql-chart-empty">
          {rows.length === 0 ? 'No rows to draw.' : 'No column of numbers to draw: choose one.'}
        </p>
        {table}
      </div>
    );
  }
  const results = lines.map((line) => asResult(line, display));
  return (
    <div data-testid="sql-chart" data-display={display}>
      {display === 'BoldNumber' && <BoldNumber results={results} onPoint={undefined} />}
      {display === 'ActionsBar' && <BarChart results={results} onPoint={undefined} />}
      {(display === 'ActionsLineGraph' || display === 'ActionsAreaGraph') && (
        <LineChart results={lines} kind={display === 'ActionsAreaGraph' ? 'area' : 'line'} />
      )}
      {display !== 'BoldNumber' && (
        <details class="sql-chart-rows">
          <summary>Rows</summary>
          {table}
        </details>
      )}
    </div>
  );
}

// The display, the x axis column and the drawn columns (checkboxes; none checked draws every
// column of numbers).
export function SqlChartSettings({ chart, columns, rows, onChange }: {
  chart: SqlChart; columns: string[]; rows: unknown[][]; onChange: (chart: SqlChart) => void;
}) {
  const display = chart.display ?? 'ActionsTable';
  const { x, ys } = chartColumns(chart, columns, rows);
  const chosen = new Set((chart.chartSettings?.yAxis ?? []).map((axis) => axis.column));
  const change = (next: { display?: SqlDisplay; x?: string; ys?: string[] }) => {
    const out: SqlChart = {};
    const shown = next.display ?? display;
    if (shown !== 'ActionsTable') out.display = shown;
    const xColumn = next.x ?? chart.chartSettings?.xAxis?.column;
    const yColumns = next.ys ?? [...chosen];
    if (xColumn || yColumns.length) {
      out.chartSettings = {};
      if (xColumn) out.chartSettings.xAxis = { column: xColumn };
      if (yColumns.length) out.chartSettings.yAxis = yColumns.map((column) => ({ column }));
    }
    onChange(out);
  };
  return (
    <div class="controls sql-chart-settings" data-testid="sql-chart-settings">
      <Select label="Display" testid="sql-display" value={display} options={SQL_DISPLAYS}
              onChange={(value) => change({ display: value as SqlDisplay })} />
      {display !== 'ActionsTable' && columns.length > 1 && (
        <Select label="X axis" testid="sql-x-axis" value={columns[x] ?? ''}
                options={columns.map((column) => ({ value: column, label: column }))}
                onChange={(value) => change({
                  x: value, ys: [...chosen].filter((column) => column !== value) })} />
      )}
      {display !== 'ActionsTable' && (
        <fieldset class="sql-y-axis" data-testid="sql-y-axis">
          <legend>Y axis</legend>
          {columns.map((column, i) => i !== x && (
            <label key={column} class="line-shown">
              <input type="checkbox" checked={ys.includes(i)} value={column}
                     disabled={!ys.includes(i) && chosen.size >= MAX_Y_COLUMNS}
                     onChange={(e) => {
                       const on = (e.target as HTMLInputElement).checked;
                       const base = chosen.size ? [...chosen] : ys.map((j) => columns[j]);
                       change({ ys: on ? [...base, column]
                         : base.filter((other) => other !== column) });
                     }} />
              {column}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
