// What the property filter editor suggests: the project's person property names (its
// definitions, else the keys of its newest persons' properties) and, as a value is typed, the values the project has seen for a property
// (GET …/events/values/?key= or …/persons/values/?key=, most frequent first).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from './api';
import type { PropertyType } from './property_filters';

export function usePersonPropertyNames(project: Project): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    const base = `/api/projects/${project.id}`;
    api<Page<{ name: string }>>('GET', `${base}/property_definitions/?type=person&limit=1000`)
      .then(async (page) => {
        if (page.results.length) return page.results.map((d) => d.name);
        // No person property definitions recorded (persons ingested before ingestion recorded
        // them): the keys of the newest persons' properties.
        const persons = await api<Page<{ properties?: Record<string, unknown> }>>(
          'GET', `${base}/persons/?limit=100`);
        return [...new Set(persons.results.flatMap((p) => Object.keys(p.properties ?? {})))].sort();
      })
      .then((found) => current && setNames(found))
      .catch(() => current && setNames([]));
    return () => {
      current = false;
    };
  }, [project.id]);
  return names;
}

// The values of property `key` (of events or persons) containing `typed`, once they arrived.
export function usePropertyValues(project: Project, type: PropertyType, key: string,
                                  typed: string): string[] {
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (!key) return;
    let current = true;
    const timer = setTimeout(() => {
      const path = `/api/projects/${project.id}/${type === 'person' ? 'persons' : 'events'}/values/`
        + `?key=${encodeURIComponent(key)}${typed ? `&value=${encodeURIComponent(typed)}` : ''}`;
      api<{ name: unknown }[]>('GET', path)
        .then((body) => current && setValues((Array.isArray(body) ? body : [])
          .map((v) => String(v.name))))
        .catch(() => current && setValues([]));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [project.id, type, key, typed]);
  return values;
}

// A group type as GET …/groups_types/ lists it; its names are null until someone sets them.
export interface GroupType {
  group_type: string;
  group_type_index: number;
  name_singular?: string | null;
  name_plural?: string | null;
}

// How a group type is shown: the name people gave it, else its key (`company`).
export function groupTypeSingular(type: GroupType): string {
  return type.name_singular?.trim() || type.group_type;
}
export function groupTypePlural(type: GroupType): string {
  return type.name_plural?.trim() || type.group_type;
}

// The project's group types (GET …/groups_types/), for the unique groups math.
export function useGroupTypes(project: Project): GroupType[] {
  const [types, setTypes] = useState<GroupType[]>([]);
  useEffect(() => {
    api<GroupType[] | Page<GroupType>>('GET', `/api/projects/${project.id}/groups_types/`)
      .then((body) => setTypes(Array.isArray(body) ? body : body?.results ?? []))
      .catch(() => setTypes([]));
  }, [project.id]);
  return types;
}

// The project's cohorts (GET …/cohorts/), which a property filter can keep the persons of.
export function useCohortNames(project: Project): { id: number; name: string }[] {
  const [cohorts, setCohorts] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    let current = true;
    api<Page<{ id: number; name: string | null }>>('GET',
                                                   `/api/projects/${project.id}/cohorts/?limit=200`)
      .then((page) => current && setCohorts(page.results.map((c) => ({
        id: c.id, name: c.name || `Cohort ${c.id}` }))))
      .catch(() => current && setCohorts([]));
    return () => {
      current = false;
    };
  }, [project.id]);
  return cohorts;
}

// The property names of each group type (by group_type_index): its group property definitions
// (…/property_definitions/?type=group&group_type_index=N), else the keys of the properties of its
// newest groups (GET …/groups/?group_type_index=N: groups ingested before definitions were
// recorded).
export function useGroupPropertyNames(project: Project,
                                      types: GroupType[]): Record<number, string[]> {
  const [names, setNames] = useState<Record<number, string[]>>({});
  const indexes = types.map((t) => t.group_type_index).join(',');
  useEffect(() => {
    let current = true;
    const base = `/api/projects/${project.id}`;
    const namesOf = async (index: number): Promise<string[]> => {
      const defined = await api<Page<{ name: string }>>(
        'GET', `${base}/property_definitions/?type=group&group_type_index=${index}&limit=1000`);
      if (defined.results.length) return defined.results.map((d) => d.name);
      const groups = await api<Page<{ group_properties?: Record<string, unknown> }>>(
        'GET', `${base}/groups/?group_type_index=${index}`);
      return [...new Set(groups.results.flatMap((g) => Object.keys(g.group_properties ?? {})))]
        .sort();
    };
    Promise.all(types.map((t) => namesOf(t.group_type_index)
      .then((found) => [t.group_type_index, found] as const)
      .catch(() => [t.group_type_index, []] as const)))
      .then((found) => current && setNames(Object.fromEntries(found)));
    return () => {
      current = false;
    };
  }, [project.id, indexes]);
  return names;
}
