// The Paths editor's "Funnel paths": the paths of the persons at one step of a funnel. The
// funnel is a saved Funnels insight (GET …/insights/, those whose query is a FunnelsQuery) or
// the one the query already holds (a link from the Funnels page, a saved Paths insight); then
// whether the paths before, after or between steps, and the step: reached step k, or dropped off
// before step k (funnelStep -k).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { tidyFunnel } from '../funnels_query';
import {
  FUNNEL_PATH_TYPES, FunnelPathsFilter, FunnelPathType, fittingStep, funnelStepNames,
  funnelStepOptions,
} from '../paths_query';
import type { Insight } from '../pages/insights';
import { Option, Select } from './select';

interface SavedFunnel { id: number; name: string; key: string; source: unknown }

// The project's saved insights whose query is a FunnelsQuery (a hundred at most, newest first).
function useSavedFunnels(project: Project): SavedFunnel[] {
  const [funnels, setFunnels] = useState<SavedFunnel[]>([]);
  useEffect(() => {
    let current = true;
    api<Page<Insight>>('GET', `/api/projects/${project.id}/insights/?saved=true&limit=100`)
      .then((page) => current && setFunnels(page.results.flatMap((insight) => {
        const source: any = insight.query?.kind === 'FunnelsQuery' ? insight.query
          : insight.query?.source;
        if (source?.kind !== 'FunnelsQuery') return [];
        return [{ id: insight.id, name: insight.name || insight.derived_name || `Insight ${insight.id}`,
                  key: JSON.stringify(tidyFunnel(source)), source }];
      })))
      .catch(() => current && setFunnels([]));
    return () => {
      current = false;
    };
  }, [project.id]);
  return funnels;
}

export function FunnelPaths({ project, value, onChange }: {
  project: Project; value: FunnelPathsFilter | undefined;
  onChange: (filter: FunnelPathsFilter | undefined) => void;
}) {
  const saved = useSavedFunnels(project);
  const sourceKey = value ? JSON.stringify(value.funnelSource) : '';
  const savedNow = value ? saved.find((f) => f.key === sourceKey) : undefined;
  const picked = !value ? '' : savedNow ? `insight:${savedNow.id}` : 'current';
  const options: Option[] = [
    { value: '', label: 'No funnel' },
    ...(value && !savedNow
      ? [{ value: 'current', label: `This query's funnel (${value.funnelSource.series.length} steps)` }]
      : []),
    ...saved.map((f) => ({ value: `insight:${f.id}`, label: f.name })),
  ];
  const type = value?.funnelPathType ?? 'funnel_path_after_step';
  const names = value ? funnelStepNames(value.funnelSource) : [];
  return (
    <fieldset class="series" data-testid="funnel-paths">
      <legend>Funnel paths</legend>
      <div class="controls">
        <Select label="Funnel" testid="funnel-paths-source" value={picked} options={options}
                onChange={(choice) => {
                  if (!choice) return onChange(undefined);
                  const insight = saved.find((f) => `insight:${f.id}` === choice);
                  if (!insight) return;
                  const funnelSource = tidyFunnel(insight.source);
                  onChange({ funnelSource, funnelPathType: type,
                             funnelStep: fittingStep(type, funnelSource.series.length,
                                                     value?.funnelStep ?? 1) });
                }} />
        {value && (
          <>
            <Select label="Paths" testid="funnel-paths-type" value={type}
                    options={FUNNEL_PATH_TYPES}
                    onChange={(next) => onChange({
                      ...value, funnelPathType: next as FunnelPathType,
                      funnelStep: fittingStep(next as FunnelPathType, names.length,
                                              value.funnelStep) })} />
            <Select label="Step" testid="funnel-paths-step" value={String(value.funnelStep)}
                    options={funnelStepOptions(type, names).map((o) => ({
                      value: String(o.value), label: o.label }))}
                    onChange={(step) => onChange({ ...value, funnelStep: Number(step) })} />
          </>
        )}
      </div>
      {!value && (
        <p class="hint muted-inline">The paths of the persons at one step of a saved funnel.</p>
      )}
    </fieldset>
  );
}
