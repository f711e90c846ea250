// The project's event and property names (its definitions), which the editors' pickers offer:
// a first page when an editor opens, and the names the server finds as the user types.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from './api';
import type { Action } from './pages/actions';

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

// The event properties whose values are numbers (the server keeps those whose definitions say
// so), which a Trends breakdown can put into histogram bins.
export function useNumericEventPropertyNames(project: Project): string[] {
  return useDefinitions(`/api/projects/${project.id}/property_definitions/?type=event` +
                        '&is_numerical=true&limit=1000');
}

// The project whose definitions the editors' pickers search as the user types (the app shell
// provides the current one).
export const ProjectContext = createContext<Project | null>(null);

export type NameSearch = (text: string) => Promise<string[]>;

const SEARCH_LIMIT = 100;

function searchNames(path: string, text: string): Promise<string[]> {
  const joiner = path.includes('?') ? '&' : '?';
  return api<Page<Definition>>('GET', `${path}${joiner}limit=${SEARCH_LIMIT}` +
                                      `&search=${encodeURIComponent(text)}`)
    .then((page) => page.results.map((d) => d.name));
}

// Event names containing every typed word (GET …/event_definitions/?search=), for the pickers.
export function useEventSearch(): NameSearch | undefined {
  const project = useContext(ProjectContext);
  if (!project) return undefined;
  return (text) => searchNames(`/api/projects/${project.id}/event_definitions/`, text);
}

// Property names of events or persons (…/property_definitions/?type=&search=).
export function usePropertySearch(type: 'event' | 'person'): NameSearch | undefined {
  const project = useContext(ProjectContext);
  if (!project) return undefined;
  return (text) => searchNames(`/api/projects/${project.id}/property_definitions/?type=${type}`,
                               text);
}

// Property names of one group type (…/property_definitions/?type=group&group_type_index=N&search=).
export function useGroupPropertySearch(groupTypeIndex: number | null): NameSearch | undefined {
  const project = useContext(ProjectContext);
  if (!project || groupTypeIndex === null) return undefined;
  return (text) => searchNames(`/api/projects/${project.id}/property_definitions/?type=group` +
                               `&group_type_index=${groupTypeIndex}`, text);
}

// The project's actions whose names contain the text (…/actions/?search=).
export function useActionSearch(): ((text: string) => Promise<Action[]>) | undefined {
  const project = useContext(ProjectContext);
  if (!project) return undefined;
  return (text) => api<Page<Action>>('GET', `/api/projects/${project.id}/actions/` +
                                            `?limit=${SEARCH_LIMIT}&search=${encodeURIComponent(text)}`)
    .then((page) => page.results);
}

// Select options for the event (value: the name) and person (value: "person:<name>") properties
// holding the typed words; person ones only when `withPersons`.
export function usePropertyOptionSearch(eventPrefix: string, withPersons: boolean)
  : ((text: string) => Promise<{ value: string; label: string }[]>) | undefined {
  const events = usePropertySearch('event');
  const persons = usePropertySearch('person');
  if (!events || !persons) return undefined;
  return async (text) => {
    const [e, p] = await Promise.all([events(text), withPersons ? persons(text) : []]);
    return [...e.map((name) => ({ value: `${eventPrefix}${name}`, label: name })),
            ...p.map((name) => ({ value: `person:${name}`, label: `Person: ${name}` }))];
  };
}
