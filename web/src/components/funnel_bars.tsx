// A funnel's answer drawn as bars: per step its actors, the share of the first step that reached
// it and the median time from the step before; with a breakdown, a table of each value's counts.
// The drawn counts are also on the element (data-lines) for tests and tools to read.
import { cellText } from './data_table';
import type { FunnelStepResult } from '../funnels_query';

function percent(part: number, whole: number): string {
  return whole > 0 ? `${(100 * part / whole).toFixed(1)}%` : '0%';
}

// Seconds as the largest units that say it briefly: 45s, 3m 20s, 2h 5m, 3d 4h.
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  const units: [number, string][] = [[86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
  const parts: string[] = [];
  let rest = s;
  for (const [size, unit] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function stepLabel(step: FunnelStepResult): string {
  return step.custom_name || step.name;
}

export function FunnelBars({ lines }: { lines: FunnelStepResult[][] }) {
  const data = lines.map((steps) => ({
    breakdown_value: steps[0]?.breakdown_value ?? null,
    counts: steps.map((s) => s.count),
  }));
  const total = lines[0] ?? [];
  const first = total[0]?.count ?? 0;
  const broken = lines.length > 1 || total[0]?.breakdown_value !== undefined;
  return (
    <div class="funnel" data-testid="funnel-chart" data-lines={JSON.stringify(data)}>
      {!broken && (
        <ol class="funnel-steps">
          {total.map((step, i) => (
            <li key={i} data-testid="funnel-step">
              <div class="funnel-step-head">
                <span class="series-letter">{i + 1}</span>
                <span class="funnel-step-name">{stepLabel(step)}</span>
                <span data-testid="funnel-step-count">{step.count}</span>
                <span class="muted-inline">{percent(step.count, first)}</span>
                {i > 0 && step.median_conversion_time !== null && (
                  <span class="muted-inline">median {duration(step.median_conversion_time)}</span>
                )}
              </div>
              <div class="funnel-bar" role="presentation">
                <div style={{ width: percent(step.count, first) }} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {broken && (
        <div class="table-scroll">
          <table class="data" data-testid="funnel-breakdown-table">
            <thead>
              <tr>
                <th scope="col">Breakdown</th>
                {total.map((step, i) => <th scope="col" key={i}>{i + 1}. {stepLabel(step)}</th>)}
                <th scope="col">Conversion</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((steps, i) => (
                <tr key={i} data-testid="funnel-breakdown-row">
                  <th scope="row">{cellText(steps[0]?.breakdown_value) || '(none)'}</th>
                  {steps.map((step, j) => <td key={j}>{step.count}</td>)}
                  <td>{percent(steps[steps.length - 1]?.count ?? 0, steps[0]?.count ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
