// The project's event and property names (its definitions), which the editors' pickers offer.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from './api';

interface Definition { name: string }

// Names from a definitions list endpoint, loaded once per path.
function useDefinitions(path: string): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    api<Page<Definition>>('GET', path)
      .then((page) => setNames(page.results.map((d) => d.name)))
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
