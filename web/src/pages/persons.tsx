// Persons: the project's persons, searched by name, email or distinct id
// (GET /api/projects/{id}/persons/?search=), and a person's page: properties, distinct ids,
// recent events (an EventsQuery on the person), the cohorts that hold it, the feature flags it
// gets (/flags with the project's token, as an SDK asks) and deleting it.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { cellText, DataTable } from '../components/data_table';
import { navigate, useLocation } from '../router';

export interface Person {
  id: number;
  uuid: string;
  name: string;
  distinct_ids: string[];
  properties: Record<string, unknown>;
  created_at: string;
}

export function PersonsPage({ project }: { project: Project }) {
  const location = useLocation();
  const search = location.searchParams.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const [persons, setPersons] = useState<{ search: string; page: Page<Person> } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    api<Page<Person>>('GET', `/api/projects/${project.id}/persons/?limit=100` +
                      (search ? `&search=${encodeURIComponent(search)}` : ''))
      .then((page) => setPersons({ search, page }))
      .catch((e) => setError(e.message));
  }, [project.id, search]);
  const shown = persons?.search === search ? persons.page : null;
  return (
    <section class="page">
      <h1>Persons</h1>
      <form class="controls" onSubmit={(e) => {
        e.preventDefault();
        navigate(typed ? `/persons?search=${encodeURIComponent(typed)}` : '/persons');
      }}>
        <input type="search" placeholder="Name, email or distinct id" value={typed}
               data-testid="persons-search" aria-label="Search persons"
               onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        <button type="submit">Search</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!shown && !error && <p class="muted">Loading…</p>}
      {shown && shown.results.length === 0 && <p class="muted" data-testid="persons-empty">No persons.</p>}
      {shown && shown.results.length > 0 && (
        <div class="table-scroll">
          <table data-testid="persons-table" data-search={search}>
            <thead>
              <tr><th scope="col">Person</th><th scope="col">Distinct ids</th>
                <th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {shown.results.map((person) => (
                <tr key={person.uuid} data-testid="person-row">
                  <td><a href={`/persons/${person.uuid}`}>{person.name || person.uuid}</a></td>
                  <td>{person.distinct_ids.join(', ')}</td>
                  <td title={person.created_at}>{new Date(person.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface EventsAnswer {
  columns: string[];
  results: unknown[][];
}

function usePersonEvents(project: Project, uuid: string) {
  const [answer, setAnswer] = useState<EventsAnswer | null>(null);
  useEffect(() => {
    api<EventsAnswer>('POST', `/api/projects/${project.id}/query/`, {
      query: { kind: 'EventsQuery', select: ['event', 'timestamp', 'properties.$current_url'],
               personId: uuid, orderBy: ['timestamp DESC'], limit: 100 },
    }).then(setAnswer).catch(() => setAnswer({ columns: [], results: [] }));
  }, [project.id, uuid]);
  return answer;
}

// The flags the person gets, decided as for an SDK call with its first distinct id.
function usePersonFlags(project: Project, person: Person | null) {
  const [flags, setFlags] = useState<Record<string, unknown> | null>(null);
  const distinctId = person?.distinct_ids[0];
  useEffect(() => {
    if (!distinctId) return;
    fetch('/flags/?v=2', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: project.api_token, distinct_id: distinctId }),
    }).then((r) => r.json())
      .then((body) => {
        const decided: Record<string, unknown> = {};
        for (const [key, flag] of Object.entries<any>(body.flags ?? {})) {
          decided[key] = flag.enabled ? (flag.variant ?? true) : false;
        }
        setFlags(decided);
      })
      .catch(() => setFlags({}));
  }, [project.api_token, distinctId]);
  return flags;
}

// The cohorts that hold the person now (GET …/persons/cohorts/?person_id=).
function usePersonCohorts(project: Project, uuid: string) {
  const [cohorts, setCohorts] = useState<{ id: number; name: string }[] | null>(null);
  useEffect(() => {
    let current = true;
    api<{ results: { id: number; name: string }[] }>(
      'GET', `/api/projects/${project.id}/persons/cohorts/?person_id=${encodeURIComponent(uuid)}`)
      .then((body) => current && setCohorts(body.results))
      .catch(() => current && setCohorts([]));
    return () => {
      current = false;
    };
  }, [project.id, uuid]);
  return cohorts;
}

export function PersonPage({ project, uuid }: { project: Project; uuid: string }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState('');
  const events = usePersonEvents(project, uuid);
  const flags = usePersonFlags(project, person);
  const cohorts = usePersonCohorts(project, uuid);
  useEffect(() => {
    api<Person>('GET', `/api/projects/${project.id}/persons/${uuid}/`)
      .then(setPerson).catch((e) => setError(e.message));
  }, [project.id, uuid]);
  const remove = async () => {
    if (!confirm('Delete this person? Their events stay.')) return;
    try {
      await api('DELETE', `/api/projects/${project.id}/persons/${uuid}/`);
      navigate('/persons');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (error) return <section class="page"><p class="error" role="alert">{error}</p></section>;
  if (!person) return <section class="page"><p class="muted">Loading…</p></section>;
  const properties = Object.entries(person.properties).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="page" data-testid="person-page">
      <p><a href="/persons">← Persons</a></p>
      <h1 data-testid="person-name">{person.name || person.uuid}</h1>
      <p class="muted">UUID {person.uuid} · distinct ids:{' '}
        <span data-testid="person-distinct-ids">{person.distinct_ids.join(', ')}</span></p>
      <button type="button" class="danger" data-testid="person-delete" onClick={remove}>
        Delete person</button>
      <div class="columns">
        <div>
          <h2>Properties</h2>
          <DataTable columns={['Property', 'Value']} testid="person-properties"
                     rows={properties.map(([key, value]) => [key, cellText(value)])} />
        </div>
        <div>
          <h2>Feature flags</h2>
          {flags === null ? <p class="muted">Loading…</p> : (
            <DataTable columns={['Flag', 'Value']} testid="person-flags"
                       rows={Object.entries(flags).map(([key, value]) => [key, cellText(value)])} />
          )}
          <h2>Cohorts</h2>
          {cohorts === null && <p class="muted">Loading…</p>}
          {cohorts !== null && cohorts.length === 0 && (
            <p class="muted" data-testid="person-cohorts-none">In no cohort.</p>
          )}
          {cohorts !== null && cohorts.length > 0 && (
            <ul data-testid="person-cohorts">
              {cohorts.map((c) => (
                <li key={c.id}><a href={`/cohorts/${c.id}`} data-cohort-id={c.id}>{c.name}</a></li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h2>Events</h2>
      {events === null ? <p class="muted">Loading…</p> : (
        <DataTable columns={['Event', 'Time', 'URL']} rows={events.results}
                   testid="person-events" />
      )}
    </section>
  );
}
