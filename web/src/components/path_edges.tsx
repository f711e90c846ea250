// A paths answer's edges as a table, in the answer's order (heaviest first): the step and item
// each edge leaves and enters, its count and average time. Clicking a row picks the edge.
import { duration } from './funnel_bars';
import { PathEdge, splitNode } from '../paths_query';

function Node({ nodeKey }: { nodeKey: string }) {
  const { step, item } = splitNode(nodeKey);
  return <><span class="muted-inline">{step}.</span> {item === '' ? '(empty)' : item}</>;
}

export function PathEdges({ edges, onEdge }: {
  edges: PathEdge[];
  onEdge?: (source: string, target: string) => void;
}) {
  return (
    <div class="table-scroll">
      <table class="data left" data-testid="paths-table">
        <thead>
          <tr><th scope="col">Source</th><th scope="col">Target</th><th scope="col">Persons</th>
            <th scope="col">Average time</th></tr>
        </thead>
        <tbody>
          {edges.map((edge) => (
            <tr key={`${edge.source}\n${edge.target}`} data-testid="paths-row"
                data-source={edge.source} data-target={edge.target}
                class={onEdge ? 'clickable' : undefined}
                onClick={onEdge ? () => onEdge(edge.source, edge.target) : undefined}>
              <td><Node nodeKey={edge.source} /></td>
              <td><Node nodeKey={edge.target} /></td>
              <td data-testid="paths-value">{edge.value}</td>
              <td data-testid="paths-time"
                  data-ms={edge.average_conversion_time ?? ''}>
                {edge.average_conversion_time === null ? ''
                  : duration(edge.average_conversion_time / 1000)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
