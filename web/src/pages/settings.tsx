// Settings: the project (its API key and the posthog-js snippet to copy; time zone, week start
// and test-account filters, changed with PATCH /api/projects/{id}/ as PostHog's settings do), and
// the user's personal API keys (/api/personal_api_keys/): listed, created with scopes (the
// phx_ value is shown once, in the create answer) and revoked; and the user's password.
import { useEffect, useState } from 'preact/hooks';
import { api, Project } from '../api';
import { Select } from '../components/select';
import { useLocation } from '../router';

interface ProjectSettings {
  id: number;
  name: string;
  api_token: string;
  timezone: string;
  week_start_day: number | null;
  test_account_filters?: unknown[];
}

interface PersonalApiKey {
  id: string;
  label: string;
  mask_value: string;
  created_at: string;
  last_used_at: string | null;
  scopes: string[];
  value?: string;
}

// The snippet a site pastes into its pages: posthog-js (from PostHog's asset CDN: this server
// does not serve the library) sending to this server with the project key.
function snippet(token: string): string {
  const host = window.location.origin;
  return `<script>
  !function(t,e){var o,n,p,r;e.__SV||(window.posthog=e,e._i=[],e.init=function(i,s,a){function g(t,e){var o=e.split(".");2==o.length&&(t=t[o[0]],e=o[1]),t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}}(p=t.createElement("script")).type="text/javascript",p.crossOrigin="anonymous",p.async=!0,p.src="https://us-assets.i.posthog.com/static/array.js",(r=t.getElementsByTagName("script")[0]).parentNode.insertBefore(p,r);var u=e;for(void 0!==a?u=e[a]=[]:a="posthog",u.people=u.people||[],u.toString=function(t){var e="posthog";return"posthog"!==a&&(e+="."+a),t||(e+=" (stub)"),e},u.people.toString=function(){return u.toString(1)+".people (stub)"},o="capture identify alias people.set people.set_once set_config register register_once unregister opt_out_capturing has_opted_out_capturing opt_in_capturing reset isFeatureEnabled onFeatureFlags getFeatureFlag getFeatureFlagPayload reloadFeatureFlags group updateEarlyAccessFeatureEnrollment getEarlyAccessFeatures getActiveMatchingSurveys getSurveys onSessionId".split(" "),n=0;n<o.length;n++)g(u,o[n]);e._i.push([i,s,a])},e.__SV=1)}(document,window.posthog||[]);
  posthog.init(${JSON.stringify(token)}, { api_host: ${JSON.stringify(host)}, person_profiles: 'identified_only' })
</script>`;
}

const WEEK_STARTS = [
  { value: '0', label: 'Sunday' },
  { value: '1', label: 'Monday' },
];

// The IANA zones the browser knows, with the project's own first when it is missing.
function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const all = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  return all.includes(current) ? all : [current, ...all];
}

function ProjectSettingsSection({ project }: { project: Project }) {
  const [settings, setSettings] = useState<ProjectSettings | null>(null);
  const [timezone, setTimezone] = useState('UTC');
  const [weekStart, setWeekStart] = useState('0');
  const [filters, setFilters] = useState('[]');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const load = (p: ProjectSettings) => {
    setSettings(p);
    setTimezone(p.timezone);
    setWeekStart(String(p.week_start_day ?? 0));
    setFilters(JSON.stringify(p.test_account_filters ?? [], null, 2));
  };
  useEffect(() => {
    api<ProjectSettings>('GET', `/api/projects/${project.id}/`).then(load)
      .catch((e) => setError(e.message));
  }, [project.id]);
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setMessage('');
    let parsedFilters: unknown;
    try {
      parsedFilters = JSON.parse(filters);
    } catch {
      setError('Test-account filters must be JSON: a list of property filters.');
      return;
    }
    try {
      load(await api<ProjectSettings>('PATCH', `/api/projects/${project.id}/`, {
        timezone, week_start_day: Number(weekStart), test_account_filters: parsedFilters,
      }));
      setMessage('Saved.');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!settings) return error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>;
  return (
    <>
      <h2>Project API key</h2>
      <p>Send events to this project with this key (it is public: it can only send data).</p>
      <p><code data-testid="project-api-key">{settings.api_token}</code>{' '}
        <button type="button" class="link"
                onClick={() => navigator.clipboard?.writeText(settings.api_token)}>Copy</button></p>
      <h3>posthog-js snippet</h3>
      <pre class="snippet" data-testid="project-snippet">{snippet(settings.api_token)}</pre>
      <button type="button" class="link"
              onClick={() => navigator.clipboard?.writeText(snippet(settings.api_token))}>
        Copy snippet
      </button>
      <h2>Project settings</h2>
      <form data-testid="project-settings" onSubmit={save}>
        <div class="controls">
          <Select label="Time zone" testid="project-timezone" value={timezone}
                  options={timeZones(timezone).map((z) => ({ value: z, label: z }))}
                  onChange={setTimezone} />
          <Select label="Week starts on" testid="project-week-start" value={weekStart}
                  options={WEEK_STARTS} onChange={setWeekStart} />
        </div>
        <label class="control">
          <span>Test-account filters (JSON list of property filters, e.g.
            {' [{"key": "email", "value": "@example.com", "operator": "not_icontains", "type": "person"}]'})</span>
          <textarea rows={5} cols={80} value={filters} data-testid="project-test-filters"
                    onInput={(e) => setFilters((e.target as HTMLTextAreaElement).value)} />
        </label>
        <div class="controls">
          <button type="submit" data-testid="project-save">Save</button>
          {message && <span role="status" data-testid="project-saved">{message}</span>}
          {error && <span class="error" role="alert" data-testid="project-error">{error}</span>}
        </div>
      </form>
    </>
  );
}

const SCOPE_OBJECTS = ['action', 'cohort', 'dashboard', 'event_definition', 'feature_flag',
  'group', 'insight', 'person', 'project', 'property_definition', 'query'];

function PersonalApiKeysSection() {
  const [keys, setKeys] = useState<PersonalApiKey[] | null>(null);
  const [label, setLabel] = useState('');
  const [fullAccess, setFullAccess] = useState(true);
  const [scopes, setScopes] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<PersonalApiKey | null>(null);
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState('');
  useEffect(() => {
    api<PersonalApiKey[]>('GET', '/api/personal_api_keys/').then(setKeys)
      .catch((e) => setError(e.message));
  }, [generation]);
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    const chosen = fullAccess ? ['*'] : Object.entries(scopes)
      .filter(([, action]) => action !== '').map(([object, action]) => `${object}:${action}`);
    try {
      setCreated(await api<PersonalApiKey>('POST', '/api/personal_api_keys/',
                                           { label, scopes: chosen }));
      setLabel('');
      setGeneration((n) => n + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (key: PersonalApiKey) => {
    setError('');
    try {
      await api('DELETE', `/api/personal_api_keys/${key.id}/`);
      if (created?.id === key.id) setCreated(null);
      setGeneration((n) => n + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <h2>Personal API keys</h2>
      <p>A personal API key reads and changes this organization's data through the API as you.</p>
      <form data-testid="api-key-form" onSubmit={create}>
        <div class="controls">
          <label class="control">
            <span>Label</span>
            <input required maxLength={40} value={label} data-testid="api-key-label"
                   onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
          </label>
          <label class="check">
            <input type="checkbox" checked={fullAccess} data-testid="api-key-full-access"
                   onChange={(e) => setFullAccess((e.target as HTMLInputElement).checked)} />
            {' '}Full access
          </label>
        </div>
        {!fullAccess && (
          <div class="controls scopes">
            {SCOPE_OBJECTS.map((object) => (
              <Select key={object} label={object} testid={`api-key-scope-${object}`}
                      value={scopes[object] ?? ''}
                      options={[{ value: '', label: 'No access' }, { value: 'read', label: 'Read' },
                                { value: 'write', label: 'Write' }]}
                      onChange={(action) => setScopes({ ...scopes, [object]: action })} />
            ))}
          </div>
        )}
        <button type="submit" data-testid="api-key-create">Create key</button>
        {error && <span class="error" role="alert" data-testid="api-key-error">{error}</span>}
      </form>
      {created?.value && (
        <p class="notice" role="status">
          Copy the key now, it is not shown again:{' '}
          <code data-testid="api-key-value">{created.value}</code>
        </p>
      )}
      {keys && keys.length > 0 && (
        <div class="table-scroll">
          <table class="data left" data-testid="api-keys-table">
            <thead>
              <tr><th scope="col">Label</th><th scope="col">Key</th><th scope="col">Scopes</th>
                <th scope="col">Created</th><th scope="col">Last used</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-testid="api-key-row" data-label={key.label}>
                  <td>{key.label}</td>
                  <td><code>{key.mask_value}</code></td>
                  <td>{key.scopes.join(', ')}</td>
                  <td>{new Date(key.created_at).toLocaleString()}</td>
                  <td>{key.last_used_at ? new Date(key.last_used_at).toLocaleString() : 'Never'}</td>
                  <td>
                    <button type="button" class="link" data-testid="api-key-revoke"
                            onClick={() => revoke(key)}>Revoke</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type PasswordChange = { kind: 'idle' | 'saving' | 'done' } | { kind: 'error'; message: string };

// The signed-in user's password: changed with the current one (PATCH …/users/@me/). The server
// ends every other session of the user; this one goes on in the new session it answers with.
function PasswordSection() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [state, setState] = useState<PasswordChange>({ kind: 'idle' });
  const mismatch = again !== '' && again !== next;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (mismatch) return;
    setState({ kind: 'saving' });
    try {
      await api('PATCH', '/api/users/@me/', { current_password: current, password: next });
      setCurrent('');
      setNext('');
      setAgain('');
      setState({ kind: 'done' });
    } catch (e) {
      setState({ kind: 'error', message: (e as Error).message });
    }
  };
  const field = (name: string, label: string, value: string, set: (v: string) => void) => (
    <label class="control"><span>{label}</span>
      <input type="password" name={name} required value={value} autocomplete={
        name === 'current_password' ? 'current-password' : 'new-password'}
             onInput={(e) => set((e.target as HTMLInputElement).value)} /></label>
  );
  return (
    <>
      <h2>Change password</h2>
      <form class="controls" data-testid="password-form" onSubmit={submit}>
        {field('current_password', 'Current password', current, setCurrent)}
        {field('password', 'New password', next, setNext)}
        {field('password_again', 'New password again', again, setAgain)}
        <button type="submit" disabled={mismatch || state.kind === 'saving'}>Change password</button>
      </form>
      {mismatch && <p class="error" data-testid="password-mismatch">The new passwords differ.</p>}
      {state.kind === 'error' && (
        <p class="error" role="alert" data-testid="password-error">{state.message}</p>
      )}
      {state.kind === 'done' && (
        <p role="status" data-testid="password-changed">Password changed: every other session of
          yours has ended.</p>
      )}
    </>
  );
}

export function SettingsPage({ project }: { project: Project }) {
  const location = useLocation();
  const section = location.pathname.startsWith('/settings/user-api-keys') ? 'keys'
    : location.pathname.startsWith('/settings/user') ? 'user' : 'project';
  return (
    <section class="page">
      <h1>Settings</h1>
      <nav class="tabs" aria-label="Settings">
        <a href="/settings/project" aria-current={section === 'project' ? 'page' : undefined}
           data-testid="settings-tab-project">Project</a>
        <a href="/settings/user-api-keys" aria-current={section === 'keys' ? 'page' : undefined}
           data-testid="settings-tab-keys">Personal API keys</a>
        <a href="/settings/user" aria-current={section === 'user' ? 'page' : undefined}
           data-testid="settings-tab-user">Password</a>
      </nav>
      {section === 'project' && <ProjectSettingsSection project={project} />}
      {section === 'keys' && <PersonalApiKeysSection />}
      {section === 'user' && <PasswordSection />}
    </section>
  );
}
