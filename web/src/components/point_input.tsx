// A path's start or end point: a text field that suggests, as you type, the project's page URLs
// ($current_url of page views), screen names and event names, as the included event types name
// path items. The query changes when the field is committed (Enter, leaving it, or clearing it).
import { useEffect, useState } from 'preact/hooks';
import { api, Project } from '../api';
import { PathEventType } from '../paths_query';

const SUGGESTIONS = 10;

// Values of an event property seen lately (GET …/events/values/), containing `text`.
async function propertyValues(project: Project, key: string, event: string,
                              text: string): Promise<string[]> {
  const params = new URLSearchParams({ key, event_name: event });
  if (text) params.set('value', text);
  const values = await api<{ name: unknown }[]>(
    'GET', `/api/projects/${project.id}/events/values/?${params}`);
  return values.map((v) => String(v.name));
}

// Suggestions for `text`, asked only while the field has the focus (`active`).
function useSuggestions(project: Project, types: PathEventType[], events: string[],
                        text: string, active: boolean): string[] {
  const [found, setFound] = useState<string[]>([]);
  const every = types.length === 0;
  const wanted = (type: PathEventType) => every || types.includes(type);
  useEffect(() => {
    if (!active) return;
    let current = true;
    const timer = setTimeout(async () => {
      const lists = await Promise.all([
        wanted('$pageview') ? propertyValues(project, '$current_url', '$pageview', text)
          .catch(() => []) : [],
        wanted('$screen') ? propertyValues(project, '$screen_name', '$screen', text)
          .catch(() => []) : [],
      ]);
      const lower = text.toLowerCase();
      const names = events.filter((name) => (every || !name.startsWith('$'))
                                            && name.toLowerCase().includes(lower));
      const custom = wanted('custom_event') ? names.slice(0, SUGGESTIONS) : [];
      if (current) setFound([...new Set([...lists.flat(), ...custom])]);
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [project.id, types.join(','), events.length, text, active]);
  return found;
}

export function PointInput({ project, label, testid, value, types, events, onChange }: {
  project: Project;
  label: string;
  testid: string;
  value: string;
  types: PathEventType[];
  events: string[];
  onChange: (value: string) => void;
}) {
  const [text, setText] = useState(value);
  const [focused, setFocused] = useState(false);
  useEffect(() => setText(value), [value]);
  const suggestions = useSuggestions(project, types, events, text, focused);
  const commit = (next: string) => {
    if (next.trim() !== value) onChange(next.trim());
  };
  return (
    <label class="control">
      <span>{label}</span>
      <input type="search" value={text} list={`${testid}-suggestions`} data-testid={testid}
             placeholder="Any" size={28}
             onFocus={() => setFocused(true)}
             onBlur={() => setFocused(false)}
             onInput={(e) => {
               const next = (e.target as HTMLInputElement).value;
               setText(next);
               if (next === '') commit('');
             }}
             onChange={(e) => commit((e.target as HTMLInputElement).value)} />
      <datalist id={`${testid}-suggestions`} data-testid={`${testid}-suggestions`}>
        {suggestions.map((s) => <option key={s} value={s} />)}
      </datalist>
    </label>
  );
}
