// Activity: the project's most recent events (GET /api/projects/{id}/events/), newest first;
// a row opens to all its properties, and the distinct id links to the event's person.
// Event names, distinct ids and property values come from SDKs: they are rendered as text only.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { cellText, DataTable } from '../components/data_table';

interface EventRow {
  id: string;
  event: string;
  distinct_id: string;
  timestamp: string;
  properties: Record<string, unknown>;
  person?: { uuid: string } | null;
}

function EventDetail({ event }: { event: EventRow }) {
  const properties = Object.entries(event.properties ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <tr data-testid="event-detail">
      <td colSpan={4}>
        <DataTable columns={['Property', 'Value']} testid="event-properties"
                   rows={properties.map(([key, value]) => [key, cellText(value)])} />
      </td>
    </tr>
  );
}

export function ActivityPage({ project }: { project: Project }) {
  const [events, setEvents] = useState<EventRow[] | null>(null);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
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
              {events.flatMap((e) => [
                <tr key={e.id} data-testid="event-row" class="clickable"
                    onClick={(click) => {
                      if ((click.target as Element).closest('a')) return;
                      setOpen(open === e.id ? null : e.id);
                    }}>
                  <td><button type="button" class="link" aria-expanded={open === e.id}>
                    {e.event}</button></td>
                  <td>{e.person?.uuid
                    ? <a href={`/persons/${e.person.uuid}`}>{e.distinct_id}</a>
                    : e.distinct_id}</td>
                  <td>{String(e.properties?.$current_url ?? e.properties?.$screen_name ?? '')}</td>
                  <td title={e.timestamp}>{new Date(e.timestamp).toLocaleString()}</td>
                </tr>,
                ...(open === e.id ? [<EventDetail key={`${e.id}-detail`} event={e} />] : []),
              ])}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
