// A flag's usage, as PostHog shows it: a trends insight of the `$feature_flag_called` events SDKs
// send when code reads the flag, narrowed to this flag (`$feature_flag` = its key) and broken down
// by the value they got (`$feature_flag_response`), daily over the last 30 days.
import { useEffect, useState } from 'preact/hooks';
import { api, Project } from '../api';
import { LineChart } from './line_chart';

interface UsageResult { label: string; count: number; data: number[]; labels: string[] }

export function flagUsageQuery(flagKey: string): object {
  return {
    kind: 'TrendsQuery',
    series: [{
      kind: 'EventsNode', event: '$feature_flag_called', name: '$feature_flag_called',
      math: 'total',
      properties: [{ key: '$feature_flag', value: flagKey, operator: 'exact', type: 'event' }],
    }],
    interval: 'day',
    dateRange: { date_from: '-30d' },
    breakdownFilter: { breakdown: '$feature_flag_response', breakdown_type: 'event' },
  };
}

export function FlagUsage({ project, flagKey }: { project: Project; flagKey: string }) {
  const [results, setResults] = useState<UsageResult[] | null>(null);
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setResults(null);
    api<{ results: UsageResult[] }>('POST', `/api/projects/${project.id}/query/`,
                                    { query: flagUsageQuery(flagKey) })
      .then((answer) => setResults(answer.results)).catch((e) => setError(e.message));
  }, [project.id, flagKey, generation]);
  return (
    <section data-testid="flag-usage" data-state={results === null ? 'loading' : 'done'}
             aria-labelledby="flag-usage-title">
      <h2 id="flag-usage-title">Usage</h2>
      <p class="muted">
        <code>$feature_flag_called</code> events for this flag in the last 30 days, by the value
        served. {' '}
        <button type="button" class="link" onClick={() => setGeneration((n) => n + 1)}>
          Refresh</button>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {results === null && !error && <p class="muted">Loading…</p>}
      {results !== null && results.length === 0 && (
        <p class="muted" data-testid="flag-usage-empty">No SDK has read this flag yet.</p>
      )}
      {results !== null && results.length > 0 && (
        <>
          <LineChart results={results} />
          <table class="data" data-testid="flag-usage-table">
            <thead><tr><th scope="col">Value served</th><th scope="col">Calls</th></tr></thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.label} data-testid="flag-usage-row">
                  <th scope="row">{r.label}</th><td>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
