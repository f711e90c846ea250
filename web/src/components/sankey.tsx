// A paths answer drawn as a Sankey diagram: one column per step, each node as tall as the paths
// through it, each edge a band as wide as its count (layout by d3-sankey, drawn here as Preact
// SVG, so every item, which SDKs sent, is SVG text and never markup). Nodes and links carry
// their keys and values as data attributes for tests and tools; hovering shows a node's or a
// link's count and a link's average time; clicking one (or Enter on it) picks it.
import { sankey, sankeyLinkHorizontal, SankeyGraph } from 'd3-sankey';
import { duration } from './funnel_bars';
import { PathEdge, splitNode } from '../paths_query';

interface NodeDatum { name: string }
interface LinkDatum { average_conversion_time: number | null }

const NODE_WIDTH = 10;
const COLUMN_WIDTH = 240;    // between two steps: room for a label
const ROW_HEIGHT = 38;       // per node of the fullest column
const LABEL_CHARS = 30;

function shortened(item: string): string {
  return item.length > LABEL_CHARS ? `${item.slice(0, LABEL_CHARS - 1)}…` : item;
}

function itemLabel(key: string): string {
  const { item } = splitNode(key);
  return item === '' ? '(empty)' : item;
}

function layout(edges: PathEdge[], width: number, height: number) {
  const names = new Set<string>();
  for (const edge of edges) names.add(edge.source).add(edge.target);
  const graph: SankeyGraph<NodeDatum, LinkDatum> = {
    nodes: [...names].map((name) => ({ name })),
    links: edges.map((e) => ({ source: e.source, target: e.target, value: e.value,
                               average_conversion_time: e.average_conversion_time })),
  };
  return sankey<NodeDatum, LinkDatum>()
    .nodeId((node) => node.name)
    .nodeAlign((node) => splitNode(node.name).step - 1)
    .nodeWidth(NODE_WIDTH)
    .nodePadding(14)
    .extent([[1, 4], [width - 1, height - 4]])(graph);
}

function activate(handler: () => void) {
  return {
    tabIndex: 0,
    role: 'button' as const,
    onClick: handler,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        handler();
      }
    },
  };
}

export function Sankey({ edges, selected, onNode, onLink }: {
  edges: PathEdge[];
  selected?: string;
  onNode?: (node: string) => void;
  onLink?: (source: string, target: string) => void;
}) {
  const steps = new Set<number>();
  const perStep = new Map<number, number>();
  for (const key of new Set(edges.flatMap((e) => [e.source, e.target]))) {
    const { step } = splitNode(key);
    steps.add(step);
    perStep.set(step, (perStep.get(step) ?? 0) + 1);
  }
  const columns = Math.max(2, steps.size);
  const width = (columns - 1) * COLUMN_WIDTH + NODE_WIDTH + 2;
  const height = Math.max(160, Math.max(...perStep.values()) * ROW_HEIGHT);
  let graph;
  try {
    graph = layout(edges, width, height);
  } catch (e) {
    return <p class="error" role="alert">These paths cannot be drawn: {(e as Error).message}</p>;
  }
  const band = sankeyLinkHorizontal();
  const drawnWidth = width + COLUMN_WIDTH - NODE_WIDTH;  // the last column's labels too
  return (
    <div class="sankey" data-testid="paths-sankey">
      <svg width={drawnWidth} height={height} viewBox={`0 0 ${drawnWidth} ${height}`}
           role="group" aria-label="Paths between steps">
        <g class="sankey-links">
          {graph.links.map((link, i) => {
            const source = (link.source as { name: string }).name;
            const target = (link.target as { name: string }).name;
            const average = link.average_conversion_time;
            return (
              <path key={i} d={band(link) ?? ''} stroke-width={Math.max(1, link.width ?? 1)}
                    class="sankey-link" data-testid="sankey-link" data-source={source}
                    data-target={target} data-value={link.value}
                    {...(onLink ? activate(() => onLink(source, target)) : {})}>
                <title>{`${itemLabel(source)} → ${itemLabel(target)}\n${link.value} persons` +
                        (average !== null ? ` · average ${duration(average / 1000)}` : '')}</title>
              </path>
            );
          })}
        </g>
        <g class="sankey-nodes">
          {graph.nodes.map((node) => {
            const { step } = splitNode(node.name);
            const x0 = node.x0 ?? 0;
            const y0 = node.y0 ?? 0;
            const y1 = node.y1 ?? 0;
            return (
              <g key={node.name} class={node.name === selected ? 'sankey-node selected' : 'sankey-node'}
                 data-testid="sankey-node" data-node={node.name} data-value={node.value}
                 {...(onNode ? activate(() => onNode(node.name)) : {})}>
                <title>{`${itemLabel(node.name)}\nStep ${step}: ${node.value} persons`}</title>
                <rect x={x0} y={y0} width={NODE_WIDTH} height={Math.max(1, y1 - y0)} />
                <text x={x0 + NODE_WIDTH + 6} y={(y0 + y1) / 2} dy="0.35em">
                  {shortened(itemLabel(node.name))}</text>
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
