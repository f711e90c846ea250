// A funnel's answer drawn as its `funnelVizType` asks: bars per step (funnel_bars.tsx), the
// histogram of conversion times with their average, or the conversion rate of each entry period
// as lines (line_chart.tsx). The drawn numbers are also on the elements (data-lines, data-bins,
// data-series) for tests and tools to read.
import { cellText } from './data_table';
import { duration, FunnelBars } from './funnel_bars';
import { LineChart } from './line_chart';
import { funnelLines, funnelTimes, funnelTrends, FunnelTimes, VizType } from '../funnels_query';

// Whether the answer has anything to draw.
export function funnelAnswerEmpty(viz: VizType, results: unknown): boolean {
  if (viz === 'time_to_convert') return (funnelTimes(results)?.bins.length ?? 0) === 0;
  if (viz === 'trends') return funnelTrends(results).length === 0;
  return funnelLines(results).length === 0;
}

export function FunnelAnswer({ viz, results }: { viz: VizType; results: unknown }) {
  if (viz === 'time_to_convert') {
    const times = funnelTimes(results);
    return times ? <FunnelHistogram times={times} /> : null;
  }
  if (viz === 'trends') {
    const lines = funnelTrends(results);
    return (
      <div class="funnel" data-testid="funnel-trends">
        <LineChart results={lines.map((line) => ({
          label: line.breakdown_value === undefined ? 'Conversion rate (%)'
            : cellText(line.breakdown_value) || '(none)',
          data: line.data, labels: line.labels }))} />
      </div>
    );
  }
  return <FunnelBars lines={funnelLines(results)} />;
}

// The bins as bars: each one's range of conversion times, its actors and its share of them.
export function FunnelHistogram({ times }: { times: FunnelTimes }) {
  const total = times.bins.reduce((sum, [, count]) => sum + count, 0);
  const widest = Math.max(1, ...times.bins.map(([, count]) => count));
  return (
    <div class="funnel" data-testid="funnel-histogram" data-bins={JSON.stringify(times.bins)}
         data-average={JSON.stringify(times.average_conversion_time)}>
      <p>
        Average time to convert:{' '}
        <strong data-testid="funnel-average-time">
          {times.average_conversion_time === null ? '–' : duration(times.average_conversion_time)}
        </strong>
      </p>
      <ol class="funnel-steps">
        {times.bins.map(([from, count], i) => {
          const next = times.bins[i + 1];
          return (
            <li key={i} data-testid="funnel-bin">
              <div class="funnel-step-head">
                <span class="funnel-step-name" data-testid="funnel-bin-range">
                  {next ? `${duration(from)} – ${duration(next[0])}` : `${duration(from)}`}
                </span>
                <span data-testid="funnel-bin-count">{count}</span>
                <span class="muted-inline">
                  {total > 0 ? `${(100 * count / total).toFixed(1)}%` : '0%'}
                </span>
              </div>
              <div class="funnel-bar" role="presentation">
                <div style={{ width: `${(100 * count / widest).toFixed(1)}%` }} />
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
