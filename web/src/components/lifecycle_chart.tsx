// A lifecycle answer drawn as stacked bars (SVG): per period the new, returning and resurrecting
// persons stacked above the axis and the dormant ones below it, in PostHog's colours; only the
// statuses `shown` (all by default). A bar can be
// clicked (its persons); the drawn counts are also on the element (data-series) for tests and
// tools to read.
import { LifecycleResult, LifecycleStatus, STATUSES } from '../lifecycle_query';

export interface LifecycleBar { status: LifecycleStatus; index: number }

const WIDTH = 800;
const HEIGHT = 320;
const LEFT = 44;
const BOTTOM = 28;
const TOP = 10;

// Round steps for the value axis: 1, 2, 5 × a power of ten.
function step(range: number): number {
  const rough = Math.max(range, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const unit = [1, 2, 5, 10].find((m) => m * power >= rough) ?? 10;
  return Math.max(1, unit * power);
}

export function LifecycleChart({ results, shown, onBar }: {
  results: LifecycleResult[];
  shown?: LifecycleStatus[];
  onBar?: (bar: LifecycleBar) => void;
}) {
  const ordered = STATUSES.filter(({ status }) => !shown || shown.includes(status))
    .map(({ status, color }) => ({
      status, color, data: results.find((r) => r.status === status)?.data ?? [] }));
  const labels = results[0]?.labels ?? [];
  const n = labels.length;
  const up = labels.map((_, j) => ordered.filter((s) => s.status !== 'dormant')
    .reduce((sum, s) => sum + Math.max(s.data[j] ?? 0, 0), 0));
  const dormant = ordered.find((s) => s.status === 'dormant');
  const down = labels.map((_, j) => Math.min(dormant?.data[j] ?? 0, 0));
  const unit = step(Math.max(...up, 0) - Math.min(...down, 0));
  const max = Math.max(unit, Math.ceil(Math.max(...up, 0) / unit) * unit);
  const min = Math.min(0, Math.floor(Math.min(...down, 0) / unit) * unit);
  const y = (value: number) => TOP + (max - value) / (max - min) * (HEIGHT - TOP - BOTTOM);
  const slot = (WIDTH - LEFT) / Math.max(n, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const ticks: number[] = [];
  for (let v = min; v <= max; v += unit) ticks.push(v);
  const every = Math.max(1, Math.ceil(n / 12));
  return (
    <div class="chart lifecycle-chart" data-testid="lifecycle-chart"
         data-series={JSON.stringify(ordered.map(({ status, data }) => ({ status, data })))}>
      <ul class="legend">
        {ordered.map(({ status, color }) => (
          <li key={status}><span class="swatch" style={{ backgroundColor: color }} />{status}</li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img"
           aria-label="Lifecycle: persons per period and status">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={LEFT} x2={WIDTH} y1={y(v)} y2={y(v)} stroke={v === 0 ? '#999' : '#eee'} />
            <text x={LEFT - 6} y={y(v) + 4} text-anchor="end" font-size="11" fill="#666">{v}</text>
          </g>
        ))}
        {labels.map((label, j) => {
          const x = LEFT + j * slot + (slot - barWidth) / 2;
          let base = 0;
          return (
            <g key={j}>
              {ordered.map(({ status, color, data }) => {
                const value = data[j] ?? 0;
                if (value === 0) return null;
                const from = status === 'dormant' ? 0 : base;
                const to = from + value;
                if (status !== 'dormant') base = to;
                return (
                  <rect key={status} data-testid="lifecycle-bar" data-status={status}
                        data-index={j} data-value={value} x={x} width={barWidth}
                        y={y(Math.max(from, to))} height={Math.abs(y(from) - y(to))} fill={color}
                        class={onBar ? 'clickable' : undefined}
                        onClick={onBar ? () => onBar({ status, index: j }) : undefined}>
                    <title>{`${label}: ${Math.abs(value)} ${status}`}</title>
                  </rect>
                );
              })}
              {j % every === 0 && (
                <text x={x + barWidth / 2} y={HEIGHT - 8} text-anchor="middle" font-size="11"
                      fill="#666">{label}</text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
