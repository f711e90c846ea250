// A line chart of trends (or stickiness) results (uPlot): one line per result over the shared buckets, and a
// dashed vertical line at each marker's bucket (annotations). The plotted values and markers are
// also on the element (data-series, data-markers) for tests and tools to read.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#1d4aff', '#621da6', '#42827e', '#ce0e74', '#f14f58', '#7c440e', '#529a0a',
                '#0476fb', '#fe729e', '#35416b'];

export interface ChartMarker { index: number; label: string }

// One line: its values over the shared buckets, which `labels` names.
export interface ChartLine { label: string; data: number[]; labels: string[] }

export function LineChart({ results, markers = [] }: { results: ChartLine[];
                                                       markers?: ChartMarker[] }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element || results.length === 0) return;
    const labels = results[0].labels;
    const data: uPlot.AlignedData = [labels.map((_, i) => i), ...results.map((r) => r.data)];
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 320),
        height: 320,
        scales: { x: { time: false } },
        hooks: {
          draw: [(u: uPlot) => {
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = '#f7a501';
            ctx.lineWidth = 2;
            ctx.setLineDash([4, 4]);
            for (const marker of markers) {
              const x = u.valToPos(marker.index, 'x', true);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          }],
        },
        axes: [
          { values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? '') },
          {},
        ],
        series: [
          { label: 'Date', value: (_u, value) => labels[value] ?? '' },
          ...results.map((result, i) => ({
            label: result.label,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            points: { show: true },
          })),
        ],
      },
      data,
      element,
    );
    const onResize = () => chart.setSize({ width: Math.max(element.clientWidth, 320), height: 320 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.destroy();
    };
  }, [results, JSON.stringify(markers)]);
  return (
    <div class="chart" ref={container} data-testid="trends-chart"
         data-series={JSON.stringify(results.map((r) => ({ label: r.label, data: r.data })))}
         data-markers={JSON.stringify(markers)} />
  );
}
