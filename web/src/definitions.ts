// The project's event and property names (its definitions), which the editors' pickers offer.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from './api';

interface Definition { name: string; property_type?: string | null }

// Names from a definitions list endpoint (those `keep` keeps), loaded once per path.
function useDefinitions(path: string, keep?: (d: Definition) => boolean): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    api<Page<Definition>>('GET', path)
      .then((page) => setNames(page.results.filter((d) => !keep || keep(d)).map((d) => d.name)))
      .catch(() => setNames([]));
  }, [path]);
  return names;
}

export function useEventNames(project: Project): string[] {
  return useDefinitions(`/api/projects/${project.id}/event_definitions/?limit=1000`);
}

export function useEventPropertyNames(project: Project): string[] {
  return useDefinitions(`/api/projects/${project.id}/property_definitions/?type=event&limit=1000`);
}

// The event properties whose values are numbers (their definitions' property_type), which a
// Trends breakdown can put into histogram bins.
export function useNumericEventPropertyNames(project: Project): string[] {
  return useDefinitions(`/api/projects/${project.id}/property_definitions/?type=event&limit=1000`,
                        (d) => d.property_type === 'Numeric');
}
