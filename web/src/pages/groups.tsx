// Groups: the project's groups by group type (GET …/groups_types/, …/groups/?group_type_index=N
// &search=), and a group's page (GET …/groups/find/?group_type_index=N&group_key=K) with its
// properties and latest events (an EventsQuery on the $group_N property). A group type's tab
// shows its plural name when set; the form under the tabs sets its names
// (PATCH …/groups_types/update_metadata).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { cellText } from '../components/data_table';
import { groupTypePlural, type GroupType } from '../property_suggestions';
import { navigate, useLocation } from '../router';

// The singular and plural names of one group type (empty: unset, the key is shown).
function GroupTypeNamesForm({ project, type, onSaved }: {
  project: Project; type: GroupType; onSaved: (types: GroupType[]) => void;
}) {
  const [singular, setSingular] = useState(type.name_singular ?? '');
  const [plural, setPlural] = useState(type.name_plural ?? '');
  const [status, setStatus] = useState('');
  return (
    <form class="controls" data-testid="group-type-names" aria-label={`Names of ${type.group_type}`}
          onSubmit={(e) => {
            e.preventDefault();
            setStatus('Saving…');
            api<GroupType[]>('PATCH',
                             `/api/projects/${project.id}/groups_types/update_metadata/`,
                             [{ group_type_index: type.group_type_index,
                                name_singular: singular.trim() || null,
                                name_plural: plural.trim() || null }])
              .then((types) => {
                setStatus('Saved');
                onSaved(types);
              })
              .catch((err) => setStatus(err.message));
          }}>
      <label class="control"><span>Singular name</span>
        <input name="name_singular" maxLength={400} placeholder={type.group_type} value={singular}
               onInput={(e) => setSingular((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>Plural name</span>
        <input name="name_plural" maxLength={400} placeholder={type.group_type} value={plural}
               onInput={(e) => setPlural((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Save names</button>
      {status && <span class="muted" role="status">{status}</span>}
    </form>
  );
}

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
               aria-current={t.group_type_index === index ? 'page' : undefined}>
              {groupTypePlural(t)}</a>
          ))}
        </nav>
        {types.filter((t) => t.group_type_index === index).map((t) => (
          <GroupTypeNamesForm key={t.group_type_index} project={project} type={t}
                              onSaved={setTypes} />
        ))}
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
