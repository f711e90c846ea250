// Saves the query an editor shows as a named insight (Saved insights lists it), with `node`'s
// fields beside it in its node (a SQL insight's chart); says so once saved, for as long as the
// editor still shows that query.
import { useState } from 'preact/hooks';
import { Project } from '../api';
import { InsightQuery, saveInsight } from '../pages/insights';

export function SaveInsight({ project, query, node = {}, label = 'Save' }: {
  project: Project; query: InsightQuery; node?: object; label?: string;
}) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState('');
  const key = JSON.stringify([query, node]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    try {
      await saveInsight(project, name, query, node);
      setSaved({ name, key });
      setName('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="controls save" data-testid="save-insight" onSubmit={submit}>
      <input name="insight_name" required placeholder="Name this insight" value={name}
             aria-label="Insight name"
             onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <button type="submit">{label}</button>
      {saved?.key === key && (
        <span data-testid="insight-saved">Saved as “{saved.name}”: <a href="/saved_insights">
          Saved insights</a></span>
      )}
      {error && <span class="error" role="alert">{error}</span>}
    </form>
  );
}
