// A chart of trends (or stickiness) results (uPlot): one line per result over the shared buckets
// (or stacked areas) in its colour (`colors`, else its place's), and a dashed vertical line at
// each marker's bucket (annotations). Clicking a point tells `onPoint` its result and bucket (the
// nearest line to the pointer at that bucket). The plotted values, colours and markers are also
// on the element (data-series, data-colors, data-markers) for tests and tools to read.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { colorAt } from '../line_colors';

export interface ChartMarker { index: number; label: string }

// One line: its values over the shared buckets, which `labels` names.
export interface ChartLine { label: string; data: number[]; labels: string[] }

export type ChartKind = 'line' | 'area';

// Running sums of the lines from the first to each (the tops of stacked areas).
export function stacked(lines: number[][]): number[][] {
  const sums: number[][] = [];
  lines.forEach((line, i) => {
    sums.push(line.map((value, j) => value + (i > 0 ? sums[i - 1][j] : 0)));
  });
  return sums;
}

// `hidden[i]`: line i is not drawn (it keeps its color, the others theirs).
export function LineChart({ results, markers = [], kind = 'line', onPoint, hidden = [],
                           colors }: {
  results: ChartLine[]; markers?: ChartMarker[]; kind?: ChartKind;
  onPoint?: (result: number, index: number) => void; hidden?: boolean[]; colors?: string[];
}) {
  const container = useRef<HTMLDivElement>(null);
  const pointHandler = useRef(onPoint);
  pointHandler.current = onPoint;
  useEffect(() => {
    const element = container.current;
    if (!element || results.length === 0) return;
    const labels = results[0].labels;
    // Stacked areas: the top of each, drawn from the highest down so lower ones stay visible.
    const drawn = results.map((r, i) => (hidden[i] ? r.data.map(() => 0) : r.data));
    const values = kind === 'area' ? stacked(drawn) : drawn;
    const order = kind === 'area' ? results.map((_, i) => results.length - 1 - i)
      : results.map((_, i) => i);
    const data: uPlot.AlignedData = [labels.map((_, i) => i), ...order.map((i) => values[i])];
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 320),
        height: 320,
        scales: { x: { time: false } },
        // No drag-to-zoom: a click (even with the pointer moved a little) picks a point.
        cursor: { drag: { x: false, y: false, setScale: false, click: () => {} } },
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
          ...order.map((i) => {
            const color = colorAt(i, colors);
            return {
              label: results[i].label,
              show: !hidden[i],
              stroke: color,
              width: 2,
              fill: kind === 'area' ? `${color}aa` : undefined,
              points: { show: true },
              value: kind === 'area' ? (_u: uPlot, _v: number, _s: number, idx: number | null) =>
                String(idx === null ? '' : results[i].data[idx]) : undefined,
            };
          }),
        ],
      },
      data,
      element,
    );
    // A click picks the cursor's bucket and, at it, the line nearest the pointer.
    const onClick = (event: MouseEvent) => {
      const rect = chart.over.getBoundingClientRect();
      const left = event.clientX - rect.left;
      const top = event.clientY - rect.top;
      const index = chart.cursor.idx
        ?? Math.min(Math.max(Math.round(chart.posToVal(left, 'x')), 0), labels.length - 1);
      if (!pointHandler.current || !(index >= 0 && index < labels.length)) return;
      const y = chart.posToVal(top, 'y');
      let best = -1;
      let distance = Infinity;
      order.forEach((resultIndex) => {
        if (hidden[resultIndex]) return;
        const d = Math.abs((values[resultIndex][index] ?? 0) - y);
        if (d < distance) {
          distance = d;
          best = resultIndex;
        }
      });
      if (best >= 0) pointHandler.current(best, index);
    };
    chart.over.addEventListener('click', onClick);
    const onResize = () => chart.setSize({ width: Math.max(element.clientWidth, 320), height: 320 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.destroy();
    };
  }, [results, kind, JSON.stringify(markers), JSON.stringify(hidden),
      JSON.stringify(colors)]);
  return (
    <div class={`chart${onPoint ? ' clickable' : ''}`} ref={container} data-testid="trends-chart"
         data-kind={kind}
         data-series={JSON.stringify(results.filter((_, i) => !hidden[i])
           .map((r) => ({ label: r.label, data: r.data })))}
         data-colors={JSON.stringify(results.map((_, i) => colorAt(i, colors))
           .filter((_, i) => !hidden[i]))}
         data-markers={JSON.stringify(markers)} />
  );
}
