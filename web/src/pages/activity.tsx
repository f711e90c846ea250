// Activity: the project's most recent events (GET /api/projects/{id}/events/), newest first.
// Event names, distinct ids and property values come from SDKs: they are rendered as text only.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';

interface EventRow {
  id: string;
  event: string;
  distinct_id: string;
  timestamp: string;
  properties: Record<string, unknown>;
}

export function ActivityPage({ project }: { project: Project }) {
  const [events, setEvents] = useState<EventRow[] | null>(null);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<Page<EventRow>>('GET', `/api/projects/${project.id}/events/?limit=100`)
      .then((page) => setEvents(page.results))
      .catch((e) => setError(e.message));
  }, [project.id, reload]);
  return (
    <section class="page">
      <h1>Activity</h1>
      <button type="button" onClick={() => setReload((n) => n + 1)}>Reload</button>
      {error && <p class="error" role="alert">{error}</p>}
      {events === null && !error && <p class="muted">Loading…</p>}
      {events !== null && events.length === 0 && <p class="muted">No events yet.</p>}
      {events !== null && events.length > 0 && (
        <div class="table-scroll">
          <table data-testid="events-table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Distinct id</th>
                <th scope="col">URL / screen</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="event-row">
                  <td>{e.event}</td>
                  <td>{e.distinct_id}</td>
                  <td>{String(e.properties?.$current_url ?? e.properties?.$screen_name ?? '')}</td>
                  <td title={e.timestamp}>{new Date(e.timestamp).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
