// One feature flag (/feature_flags/{id}, or /feature_flags/new): the full editor (POST or PATCH
// …/feature_flags/), deletion (PATCH {deleted: true}, PostHog's soft delete) and the flag's usage.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { FlagChoices, FlagEditor, GroupType } from '../components/flag_editor';
import { FlagUsage } from '../components/flag_usage';
import { FeatureFlag, flagBody, formFromFlag, newFlagForm } from '../feature_flag_model';
import { useCohortNames } from '../property_suggestions';
import { navigate } from '../router';

function useGroupTypes(project: Project): GroupType[] {
  const [types, setTypes] = useState<GroupType[]>([]);
  useEffect(() => {
    api<GroupType[]>('GET', `/api/projects/${project.id}/groups_types/`)
      .then((list) => setTypes(Array.isArray(list) ? list : [])).catch(() => setTypes([]));
  }, [project.id]);
  return types;
}

// The project's flags with their variants, which a dependency can name.
function useFlagChoices(project: Project): FlagChoices['flags'] {
  const [flags, setFlags] = useState<FlagChoices['flags']>([]);
  useEffect(() => {
    let current = true;
    api<Page<FeatureFlag>>('GET', `/api/projects/${project.id}/feature_flags/?limit=1000`)
      .then((page) => current && setFlags(page.results.map((f) => ({
        id: f.id, key: f.key,
        variants: (f.filters?.multivariate?.variants ?? []).map((v) => v.key) }))))
      .catch(() => current && setFlags([]));
    return () => {
      current = false;
    };
  }, [project.id]);
  return flags;
}

export function FeatureFlagPage({ project, id }: { project: Project; id: number | null }) {
  const [flag, setFlag] = useState<FeatureFlag | null>(null);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(0);
  const groupTypes = useGroupTypes(project);
  const choices: FlagChoices = { cohorts: useCohortNames(project), flags: useFlagChoices(project) };
  const base = `/api/projects/${project.id}/feature_flags/`;
  useEffect(() => {
    if (id === null) return;
    api<FeatureFlag>('GET', `${base}${id}/`).then(setFlag).catch((e) => setError(e.message));
  }, [project.id, id]);

  const back = <p><a href="/feature_flags">← Feature flags</a></p>;
  if (id === null) {
    return (
      <section class="page" data-testid="flag-page">
        {back}
        <h1>New feature flag</h1>
        <FlagEditor initial={newFlagForm()} groupTypes={groupTypes} choices={choices} selfId={null}
                    creating onSave={async (form) => {
          const created = await api<FeatureFlag>('POST', base, flagBody(form));
          navigate(`/feature_flags/${created.id}`);
        }} />
      </section>
    );
  }
  if (error) return <section class="page">{back}<p class="error" role="alert">{error}</p></section>;
  if (!flag) return <section class="page">{back}<p class="muted">Loading…</p></section>;
  const remove = async () => {
    if (!window.confirm(`Delete the flag ${flag.key}?`)) return;
    try {
      await api('PATCH', `${base}${flag.id}/`, { deleted: true });
      navigate('/feature_flags');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page" data-testid="flag-page" data-flag-id={flag.id}>
      {back}
      <h1>{flag.key}</h1>
      {saved > 0 && <p data-testid="flag-saved" role="status">Saved.</p>}
      <FlagEditor key={`${flag.id}-${saved}`} initial={formFromFlag(flag)} groupTypes={groupTypes}
                  choices={choices} selfId={flag.id} creating={false} onSave={async (form) => {
                    setFlag(await api<FeatureFlag>('PATCH', `${base}${flag.id}/`, flagBody(form)));
                    setSaved((n) => n + 1);
                  }} />
      <FlagUsage project={project} flagKey={flag.key} />
      <p>
        <button type="button" class="danger" data-testid="flag-delete" onClick={remove}>
          Delete flag</button>
      </p>
    </section>
  );
}
