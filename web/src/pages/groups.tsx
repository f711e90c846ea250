// Groups: the project's groups by group type (GET …/groups_types/, …/groups/?group_type_index=N
// &search=), and a group's page (GET …/groups/find/?group_type_index=N&group_key=K) with its
// properties and latest events (an EventsQuery on the $group_N property).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { cellText } from '../components/data_table';
import { navigate, useLocation } from '../router';

interface GroupType { group_type: string; group_type_index: number }

export interface Group {
  group_type_index: number;
  group_key: string;
  group_properties: Record<string, unknown>;
  created_at: string;
}

function groupPath(group: Group): string {
  return `/groups/${group.group_type_index}/${encodeURIComponent(group.group_key)}`;
}

export function GroupsPage({ project }: { project: Project }) {
  const location = useLocation();
  const index = Number(location.searchParams.get('type') ?? '0');
  const search = location.searchParams.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const [types, setTypes] = useState<GroupType[] | null>(null);
  const [groups, setGroups] = useState<{ key: string; results: Group[] } | null>(null);
  const [error, setError] = useState('');
  const key = `${index}|${search}`;
  useEffect(() => {
    api<GroupType[]>('GET', `/api/projects/${project.id}/groups_types/`)
      .then(setTypes)
      .catch((e) => setError(e.message));
  }, [project.id]);
  useEffect(() => {
    setError('');
    api<Page<Group>>('GET', `/api/projects/${project.id}/groups/?group_type_index=${index}` +
                     `&limit=100${search ? `&search=${encodeURIComponent(search)}` : ''}`)
      .then((page) => setGroups({ key, results: page.results }))
      .catch((e) => setError(e.message));
  }, [project.id, key]);
  const url = (type: number, s: string) =>
    `/groups?type=${type}${s ? `&search=${encodeURIComponent(s)}` : ''}`;
  const shown = groups?.key === key ? groups.results : null;
  return (
    <section class="page">
      <h1>Groups</h1>
      {types && types.length === 0 && (
        <p class="muted">No group types yet: SDKs create one with their first group call.</p>
      )}
      {types && types.length > 0 && <>
        <nav class="tabs" aria-label="Group types">
          {types.map((t) => (
            <a key={t.group_type_index} href={url(t.group_type_index, '')}
               data-testid="group-type-tab"
               aria-current={t.group_type_index === index ? 'page' : undefined}>{t.group_type}</a>
          ))}
        </nav>
        <form class="controls" onSubmit={(e) => {
          e.preventDefault();
          navigate(url(index, typed));
        }}>
          <input type="search" placeholder="Key or property" value={typed}
                 data-testid="groups-search" aria-label="Search groups"
                 onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
          <button type="submit">Search</button>
        </form>
      </>}
      {error && <p class="error" role="alert">{error}</p>}
      {shown && shown.length === 0 && types && types.length > 0 && <p class="muted">No groups.</p>}
      {shown && shown.length > 0 && (
        <div class="table-scroll">
          <table class="data" data-testid="groups-table">
            <thead>
              <tr><th scope="col">Group</th><th scope="col">Name</th>
                <th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {shown.map((group) => (
                <tr key={group.group_key} data-testid="group-row">
                  <td><a href={groupPath(group)}>{group.group_key}</a></td>
                  <td>{cellText(group.group_properties.name ?? '')}</td>
                  <td title={group.created_at}>{new Date(group.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface EventsAnswer { results: unknown[][] }

export function GroupPage({ project, index, groupKey }: {
  project: Project; index: number; groupKey: string;
}) {
  const [group, setGroup] = useState<Group | null>(null);
  const [events, setEvents] = useState<unknown[][] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Group>('GET', `/api/projects/${project.id}/groups/find/?group_type_index=${index}` +
               `&group_key=${encodeURIComponent(groupKey)}`)
      .then(setGroup)
      .catch((e) => setError(e.message));
    api<EventsAnswer>('POST', `/api/projects/${project.id}/query/`, {
      query: {
        kind: 'EventsQuery', select: ['event', 'timestamp', 'distinct_id'], orderBy: ['timestamp DESC'],
        limit: 100,
        properties: [{ type: 'event', key: `$group_${index}`, operator: 'exact', value: groupKey }],
      },
    }).then((answer) => setEvents(answer.results)).catch(() => setEvents(null));
  }, [project.id, index, groupKey]);
  const properties = group ? Object.entries(group.group_properties) : [];
  properties.sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="page">
      <p><a href={`/groups?type=${index}`}>All groups</a></p>
      <h1 data-testid="group-title">{groupKey}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {group && <>
        <h2>Properties</h2>
        {properties.length === 0 && <p class="muted">No properties.</p>}
        {properties.length > 0 && (
          <table class="data" data-testid="group-properties">
            <tbody>
              {properties.map(([name, value]) => (
                <tr key={name}><th scope="row">{name}</th><td>{cellText(value)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </>}
      {events && <>
        <h2>Latest events</h2>
        {events.length === 0 && <p class="muted">No events.</p>}
        {events.length > 0 && (
          <table class="data" data-testid="group-events">
            <thead><tr><th scope="col">Event</th><th scope="col">When</th>
              <th scope="col">Distinct id</th></tr></thead>
            <tbody>
              {events.map((row, i) => (
                <tr key={i}>{row.map((cell, j) => <td key={j}>{cellText(cell)}</td>)}</tr>
              ))}
            </tbody>
          </table>
        )}
      </>}
    </section>
  );
}
