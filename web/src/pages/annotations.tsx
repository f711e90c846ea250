// Annotations: the notes charts mark (a release, an incident), newest first; a form adds one at a
// date and time for the project or the whole organization, and one is deleted (PATCH
// {deleted: true}, as PostHog deletes them).
import { useState } from 'preact/hooks';
import { Annotation, localTime, useAnnotations } from '../annotations';
import { api, Project } from '../api';
import { Select } from '../components/select';

const SCOPES = [
  { value: 'project', label: 'This project' },
  { value: 'organization', label: 'All projects of the organization' },
];

// "YYYY-MM-DDTHH:MM" now, for the datetime-local input's default.
function nowLocalInput(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

function NewAnnotationForm({ project, onCreated }: { project: Project; onCreated: () => void }) {
  const [content, setContent] = useState('');
  const [when, setWhen] = useState(nowLocalInput());
  const [scope, setScope] = useState('project');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      // The input holds the browser's local time; the API takes an instant.
      await api('POST', `/api/projects/${project.id}/annotations/`, {
        content, scope, date_marker: new Date(when).toISOString(),
      });
      setContent('');
      onCreated();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="controls" data-testid="annotation-form" onSubmit={submit}>
      <label class="control">
        <span>Note</span>
        <input name="content" required maxLength={8192} value={content}
               onInput={(e) => setContent((e.target as HTMLInputElement).value)} />
      </label>
      <label class="control">
        <span>When</span>
        <input name="date_marker" type="datetime-local" required value={when}
               onInput={(e) => setWhen((e.target as HTMLInputElement).value)} />
      </label>
      <Select label="Shown on" testid="annotation-scope" value={scope} options={SCOPES}
              onChange={setScope} />
      <button type="submit">Add annotation</button>
      {error && <span class="error" role="alert">{error}</span>}
    </form>
  );
}

export function AnnotationsPage({ project }: { project: Project }) {
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState('');
  const annotations = useAnnotations(project, generation);
  const timeZone = project.timezone ?? 'UTC';
  const remove = async (annotation: Annotation) => {
    setError('');
    try {
      await api('PATCH', `/api/projects/${project.id}/annotations/${annotation.id}/`,
                { deleted: true });
      setGeneration((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="page">
      <h1>Annotations</h1>
      <NewAnnotationForm project={project} onCreated={() => setGeneration((n) => n + 1)} />
      {error && <p class="error" role="alert">{error}</p>}
      {annotations.length === 0 && <p class="muted">No annotations yet.</p>}
      {annotations.length > 0 && (
        <div class="table-scroll">
          <table class="data" data-testid="annotations-table">
            <thead>
              <tr><th scope="col">When ({timeZone})</th><th scope="col">Note</th>
                <th scope="col">Shown on</th><th scope="col">By</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {annotations.map((annotation) => (
                <tr key={annotation.id} data-testid="annotation-row">
                  <td>{annotation.date_marker ? localTime(annotation.date_marker, timeZone) : ''}</td>
                  <td>{annotation.emoji ? `${annotation.emoji} ` : ''}{annotation.content ?? ''}</td>
                  <td>{annotation.scope}</td>
                  <td>{annotation.created_by?.email ?? ''}</td>
                  <td>
                    <button type="button" class="link" data-testid="annotation-delete"
                            onClick={() => remove(annotation)}>Delete</button>
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
