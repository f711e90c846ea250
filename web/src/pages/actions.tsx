// Actions: the project's actions (GET /api/projects/{id}/actions/) with their steps, and a form
// creating one from an event, optionally narrowed by the page URL (contains, exact or regex) or,
// for autocapture, by the clicked element's text or CSS selector. Actions are series of Trends.
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';

export interface ActionStep {
  event?: string | null;
  url?: string | null;
  url_matching?: string | null;
  text?: string | null;
  selector?: string | null;
}

export interface Action {
  id: number;
  name: string;
  steps: ActionStep[];
}

function describeStep(step: ActionStep): string {
  const parts = [step.event ? `event ${step.event}` : 'any event'];
  if (step.url) parts.push(`URL ${step.url_matching ?? 'contains'} "${step.url}"`);
  if (step.text) parts.push(`text "${step.text}"`);
  if (step.selector) parts.push(`selector ${step.selector}`);
  return parts.join(', ');
}

// The project's actions, reloaded when `generation` changes.
export function useActions(project: Project, generation = 0): Action[] {
  const [actions, setActions] = useState<Action[]>([]);
  useEffect(() => {
    api<Page<Action>>('GET', `/api/projects/${project.id}/actions/?limit=1000`)
      .then((page) => setActions(page.results)).catch(() => setActions([]));
  }, [project.id, generation]);
  return actions;
}

function NewActionForm({ project, onCreated }: { project: Project; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [event, setEvent] = useState('$pageview');
  const [url, setUrl] = useState('');
  const [matching, setMatching] = useState('contains');
  const [text, setText] = useState('');
  const [selector, setSelector] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const step: ActionStep = { event };
    if (url) Object.assign(step, { url, url_matching: matching });
    if (text) step.text = text;
    if (selector) step.selector = selector;
    try {
      await api('POST', `/api/projects/${project.id}/actions/`, { name, steps: [step] });
      setName('');
      setUrl('');
      setText('');
      setSelector('');
      onCreated();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const input = (label: string, field: string, value: string, set: (v: string) => void,
                 placeholder = '') => (
    <label class="control"><span>{label}</span>
      <input name={field} value={value} placeholder={placeholder}
             onInput={(e) => set((e.target as HTMLInputElement).value)} /></label>
  );
  return (
    <form class="editor" data-testid="action-form" onSubmit={submit}>
      <label class="control"><span>Name</span>
        <input name="name" required value={name}
               onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      {input('Event', 'event', event, setEvent, '$pageview, $autocapture, …')}
      {input('URL', 'url', url, setUrl, 'e.g. /checkout')}
      <label class="control"><span>URL matching</span>
        <select name="url_matching" value={matching}
                onChange={(e) => setMatching((e.target as HTMLSelectElement).value)}>
          <option value="contains">contains</option>
          <option value="exact">exact</option>
          <option value="regex">regex</option>
        </select></label>
      {input('Element text', 'text', text, setText)}
      {input('CSS selector', 'selector', selector, setSelector, 'e.g. button.buy')}
      <button type="submit">Create action</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

export function ActionsPage({ project }: { project: Project }) {
  const [generation, setGeneration] = useState(0);
  const actions = useActions(project, generation);
  return (
    <section class="page">
      <h1>Actions</h1>
      <NewActionForm project={project} onCreated={() => setGeneration((n) => n + 1)} />
      {actions.length === 0 && <p class="muted">No actions yet.</p>}
      {actions.length > 0 && (
        <div class="table-scroll">
          <table data-testid="actions-table" class="data">
            <thead><tr><th scope="col">Name</th><th scope="col">Matches</th></tr></thead>
            <tbody>
              {actions.map((action) => (
                <tr key={action.id} data-testid="action-row" data-id={action.id}>
                  <td>{action.name}</td>
                  <td>{action.steps.map(describeStep).join(' or ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
