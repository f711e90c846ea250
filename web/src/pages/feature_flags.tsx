// Feature flags: the project's flags (GET /api/projects/{id}/feature_flags/), switched on and
// off in place (PATCH {active}), and a quick form creating a flag rolled out to a share of
// everyone, optionally only to persons with a property value. Each flag opens in the full editor
// (pages/feature_flag.tsx, /feature_flags/{id}; a new one at /feature_flags/new).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { describeConditions, FeatureFlag } from '../feature_flag_model';
import { useLocation } from '../router';
import { FeatureFlagPage } from './feature_flag';

function NewFlagForm({ project, onCreated }: { project: Project; onCreated: () => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [rollout, setRollout] = useState('100');
  const [property, setProperty] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    const properties = property
      ? [{ key: property, value: [value], operator: 'exact', type: 'person' }] : [];
    try {
      await api('POST', `/api/projects/${project.id}/feature_flags/`, {
        key, name, active: true,
        filters: { groups: [{ properties, rollout_percentage: Number(rollout) }] },
      });
      setKey('');
      setName('');
      setProperty('');
      setValue('');
      onCreated();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="editor" data-testid="flag-form" onSubmit={submit}>
      <label class="control"><span>Key</span>
        <input name="key" required value={key} pattern="[A-Za-z0-9_\-]+"
               onInput={(e) => setKey((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>Description</span>
        <input name="name" value={name}
               onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>Rollout %</span>
        <input name="rollout" type="number" min="0" max="100" required value={rollout}
               onInput={(e) => setRollout((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>Only persons with property (optional)</span>
        <input name="property" value={property} placeholder="e.g. plan"
               onInput={(e) => setProperty((e.target as HTMLInputElement).value)} /></label>
      <label class="control"><span>equal to</span>
        <input name="value" value={value} disabled={!property}
               onInput={(e) => setValue((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Create flag</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

// The list, or one flag's page for /feature_flags/{id} and /feature_flags/new.
export function FeatureFlagsPage({ project }: { project: Project }) {
  const path = useLocation().pathname;
  const one = path.match(/^\/feature_flags\/(\d+|new)\/?$/);
  if (one) {
    return <FeatureFlagPage key={one[1]} project={project}
                            id={one[1] === 'new' ? null : Number(one[1])} />;
  }
  return <FeatureFlagsList project={project} />;
}

function FeatureFlagsList({ project }: { project: Project }) {
  const [flags, setFlags] = useState<FeatureFlag[] | null>(null);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<Page<FeatureFlag>>('GET', `/api/projects/${project.id}/feature_flags/?limit=1000`)
      .then((page) => setFlags(page.results)).catch((e) => setError(e.message));
  }, [project.id, reload]);
  const toggle = async (flag: FeatureFlag) => {
    try {
      await api('PATCH', `/api/projects/${project.id}/feature_flags/${flag.id}/`,
                { active: !flag.active });
      setReload((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page">
      <h1>Feature flags</h1>
      <p><a href="/feature_flags/new" class="button" data-testid="flag-new">New feature flag</a></p>
      <NewFlagForm project={project} onCreated={() => setReload((n) => n + 1)} />
      {error && <p class="error" role="alert">{error}</p>}
      {flags === null && !error && <p class="muted">Loading…</p>}
      {flags !== null && flags.length === 0 && <p class="muted">No feature flags yet.</p>}
      {flags !== null && flags.length > 0 && (
        <div class="table-scroll">
          <table data-testid="flags-table">
            <thead>
              <tr><th scope="col">Key</th><th scope="col">Description</th>
                <th scope="col">Release conditions</th><th scope="col">Enabled</th></tr>
            </thead>
            <tbody>
              {flags.map((flag) => (
                <tr key={flag.id} data-testid="flag-row" data-key={flag.key}>
                  <td><a href={`/feature_flags/${flag.id}`}>{flag.key}</a></td>
                  <td>{flag.name}</td>
                  <td>{describeConditions(flag)}</td>
                  <td>
                    <label class="switch">
                      <input type="checkbox" checked={flag.active} data-testid="flag-active"
                             aria-label={`Enable ${flag.key}`} onChange={() => toggle(flag)} />
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
