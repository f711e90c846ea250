// Data management: the project's event definitions and property definitions (event and person
// properties), searched by the API's `search` as it is typed, and the notes people keep on them:
// description, tags and verified, changed with PATCH …/event_definitions/{id}/ or
// …/property_definitions/{id}/.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { navigate, useLocation } from '../router';

interface Definition {
  id: string;
  name: string;
  description: string;
  tags: string[];
  verified: boolean;
  last_seen_at: string | null;
  property_type?: string | null;
}

const TABS = [
  { kind: 'events', label: 'Events', endpoint: 'event_definitions', query: '' },
  { kind: 'properties', label: 'Event properties', endpoint: 'property_definitions', query: '&type=event' },
  { kind: 'person_properties', label: 'Person properties', endpoint: 'property_definitions',
    query: '&type=person' },
];

function DefinitionEditor({ project, endpoint, definition, onDone }: {
  project: Project; endpoint: string; definition: Definition; onDone: (saved: boolean) => void;
}) {
  const [description, setDescription] = useState(definition.description);
  const [tags, setTags] = useState(definition.tags.join(', '));
  const [verified, setVerified] = useState(definition.verified);
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api('PATCH', `/api/projects/${project.id}/${endpoint}/${definition.id}/`, {
        description, verified,
        tags: tags.split(',').map((t) => t.trim()).filter((t) => t !== ''),
      });
      onDone(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="controls" data-testid="definition-editor" onSubmit={submit}>
      <label class="control">
        <span>Description</span>
        <input value={description} data-testid="definition-description" maxLength={10000}
               onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
      </label>
      <label class="control">
        <span>Tags (comma-separated)</span>
        <input value={tags} data-testid="definition-tags"
               onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
      </label>
      <label class="check">
        <input type="checkbox" checked={verified} data-testid="definition-verified"
               onChange={(e) => setVerified((e.target as HTMLInputElement).checked)} /> Verified
      </label>
      <button type="submit" data-testid="definition-save">Save</button>
      <button type="button" class="link" onClick={() => onDone(false)}>Cancel</button>
      {error && <span class="error" role="alert">{error}</span>}
    </form>
  );
}

export function DataManagementPage({ project }: { project: Project }) {
  const location = useLocation();
  const kind = location.searchParams.get('kind') ?? 'events';
  const tab = TABS.find((t) => t.kind === kind) ?? TABS[0];
  const search = location.searchParams.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const [page, setPage] = useState<{ key: string; page: Page<Definition> } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState('');
  const key = `${tab.kind}|${search}|${generation}`;
  useEffect(() => {
    setError('');
    api<Page<Definition>>('GET', `/api/projects/${project.id}/${tab.endpoint}/?limit=500` +
                          tab.query + (search ? `&search=${encodeURIComponent(search)}` : ''))
      .then((p) => setPage({ key, page: p }))
      .catch((e) => setError(e.message));
  }, [project.id, key]);
  const url = (k: string, s: string) =>
    `/data-management?kind=${k}${s ? `&search=${encodeURIComponent(s)}` : ''}`;
  // The list follows the search box as it is typed (the address replaced, not pushed).
  useEffect(() => {
    if (typed === search) return;
    const timer = setTimeout(() => navigate(url(tab.kind, typed), true), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const shown = page?.key === key ? page.page : null;
  return (
    <section class="page">
      <h1>Data management</h1>
      <nav class="tabs" aria-label="Definitions">
        {TABS.map((t) => (
          <a key={t.kind} href={url(t.kind, '')} data-testid={`definitions-tab-${t.kind}`}
             aria-current={t.kind === tab.kind ? 'page' : undefined}>{t.label}</a>
        ))}
      </nav>
      <form class="controls" onSubmit={(e) => {
        e.preventDefault();
        navigate(url(tab.kind, typed));
      }}>
        <input type="search" placeholder="Name" value={typed} data-testid="definitions-search"
               aria-label="Search definitions"
               onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        <button type="submit">Search</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!shown && !error && <p class="muted">Loading…</p>}
      {shown && shown.results.length === 0 && <p class="muted">No definitions.</p>}
      {shown && shown.results.length > 0 && (
        <div class="table-scroll">
          <table class="data left" data-testid="definitions-table" data-key={key}>
            <thead>
              <tr><th scope="col">Name</th>
                {tab.kind !== 'events' && <th scope="col">Type</th>}
                <th scope="col">Description</th><th scope="col">Tags</th>
                <th scope="col">Verified</th><th scope="col">Last seen</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {shown.results.map((d) => [
                <tr key={d.id} data-testid="definition-row" data-name={d.name}>
                  <td>{d.name}</td>
                  {tab.kind !== 'events' && <td>{d.property_type ?? ''}</td>}
                  <td data-testid="definition-description-text">{d.description}</td>
                  <td>{d.tags.join(', ')}</td>
                  <td>{d.verified ? 'Verified' : ''}</td>
                  <td>{d.last_seen_at ? new Date(d.last_seen_at).toLocaleString() : ''}</td>
                  <td>
                    <button type="button" class="link" data-testid="definition-edit"
                            onClick={() => setEditing(d.id)}>Edit</button>
                  </td>
                </tr>,
                editing === d.id && (
                  <tr key={`${d.id}-edit`}>
                    <td colSpan={7}>
                      <DefinitionEditor project={project} endpoint={tab.endpoint} definition={d}
                                        onDone={(saved) => {
                                          setEditing(null);
                                          if (saved) setGeneration((n) => n + 1);
                                        }} />
                    </td>
                  </tr>
                ),
              ])}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
