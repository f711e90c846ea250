// SQL: a HogQL editor (highlighting, completion of tables, columns, functions and the project's
// property keys, errors marked where the server says they are) whose query runs through the
// query API as a HogQLQuery; the answer is a table or a chart of its columns (sql_chart.ts). The
// query and its chart are in the URL (?q=…&chart=…), and save as an insight (a
// DataVisualizationNode) that dashboards draw as the editor does.
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, Page, Project } from '../api';
import { SaveInsight } from '../components/save_insight';
import { SqlChartSettings, SqlChartView } from '../components/sql_chart';
import { completions, errorOffset, PropertyKeys, tokenize, wordBefore } from '../hogql_editor';
import { navigate, useLocation } from '../router';
import { SqlChart, sqlChartFromParam, sqlUrl } from '../sql_chart';

const DEFAULT_QUERY = 'SELECT event, count() AS events\nFROM events\nGROUP BY event\n' +
  'ORDER BY events DESC\nLIMIT 100';

interface HogQLAnswer {
  columns: string[];
  results: unknown[][];
  hasMore?: boolean;
}

type Run = { state: 'idle' } | { state: 'running'; query: string }
  | { state: 'done'; query: string; answer: HogQLAnswer }
  | { state: 'error'; query: string; message: string };

function usePropertyKeys(project: Project): PropertyKeys {
  const [keys, setKeys] = useState<PropertyKeys>({ event: [], person: [] });
  useEffect(() => {
    const load = (type: string) =>
      api<Page<{ name: string }>>(
        'GET', `/api/projects/${project.id}/property_definitions/?type=${type}&limit=1000`)
        .then((page) => page.results.map((d) => d.name)).catch(() => [] as string[]);
    Promise.all([load('event'), load('person')])
      .then(([event, person]) => setKeys({ event, person }));
  }, [project.id]);
  return keys;
}

// The query text drawn with its tokens coloured, and the error position marked.
function Highlighted({ text, errorAt }: { text: string; errorAt: number | null }) {
  const parts: JSX.Element[] = [];
  let offset = 0;
  tokenize(text).forEach((token, i) => {
    const end = offset + token.text.length;
    if (errorAt !== null && errorAt >= offset && errorAt < end) {
      const at = errorAt - offset;
      parts.push(<span key={`${i}a`} class={`tok-${token.kind}`}>{token.text.slice(0, at)}</span>);
      parts.push(<mark key={`${i}m`} class="error-at" data-testid="sql-error-mark">
        {token.text.slice(at, at + 1)}</mark>);
      parts.push(<span key={`${i}b`} class={`tok-${token.kind}`}>{token.text.slice(at + 1)}</span>);
    } else {
      parts.push(<span key={i} class={`tok-${token.kind}`}>{token.text}</span>);
    }
    offset = end;
  });
  if (errorAt !== null && errorAt >= text.length) {
    parts.push(<mark key="end" class="error-at" data-testid="sql-error-mark"> </mark>);
  }
  // A trailing newline needs a character after it to take up its line.
  return <pre class="sql-highlight" aria-hidden="true">{parts}{'\n'}</pre>;
}

export function SqlPage({ project }: { project: Project }) {
  const location = useLocation();
  const fromUrl = location.searchParams.get('q') ?? DEFAULT_QUERY;
  const [text, setText] = useState(fromUrl);
  const [chart, setChart] = useState<SqlChart>(() => sqlChartFromParam(
    location.searchParams.get('chart')));
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [cursor, setCursor] = useState(0);
  const [choice, setChoice] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const keys = usePropertyKeys(project);
  const editor = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once an accepted completion is rendered: set as the render lands, before
  // the next key is handled (a later frame would pull back a caret the user has typed past).
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current === null) return;
    editor.current?.focus();
    editor.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  });

  const execute = async (query: string) => {
    navigate(sqlUrl(query, chart), true);
    setRun({ state: 'running', query });
    try {
      const answer = await api<HogQLAnswer>('POST', `/api/projects/${project.id}/query/`,
                                            { query: { kind: 'HogQLQuery', query } });
      setRun({ state: 'done', query, answer });
    } catch (e) {
      setRun({ state: 'error', query, message: (e as Error).message });
    }
  };
  // A shared link runs its query when opened.
  useEffect(() => {
    if (location.searchParams.has('q')) execute(fromUrl);
  }, []);

  const word = wordBefore(text, cursor);
  const suggestions = dismissed ? [] : completions(word, keys);
  const accept = (suggestion: string) => {
    const next = text.slice(0, cursor - word.length) + suggestion + text.slice(cursor);
    const at = cursor - word.length + suggestion.length;
    setText(next);
    setCursor(at);
    setChoice(0);
    caret.current = at;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      execute(text);
    } else if (suggestions.length > 0 && event.key === 'Tab') {
      event.preventDefault();
      accept(suggestions[Math.min(choice, suggestions.length - 1)]);
    } else if (suggestions.length > 0 && event.key === 'ArrowDown') {
      event.preventDefault();
      setChoice((choice + 1) % suggestions.length);
    } else if (suggestions.length > 0 && event.key === 'ArrowUp') {
      event.preventDefault();
      setChoice((choice + suggestions.length - 1) % suggestions.length);
    } else if (event.key === 'Escape') {
      setDismissed(true);
    }
  };
  const errorAt = run.state === 'error' && run.query === text ? errorOffset(text, run.message)
    : null;

  return (
    <section class="page">
      <h1>SQL</h1>
      <div class="sql-editor">
        <Highlighted text={text} errorAt={errorAt} />
        <textarea ref={editor} value={text} spellcheck={false} data-testid="sql-input"
                  aria-label="HogQL query"
                  onInput={(e) => {
                    const area = e.target as HTMLTextAreaElement;
                    setText(area.value);
                    setCursor(area.selectionStart);
                    setChoice(0);
                    setDismissed(false);
                  }}
                  onKeyDown={onKeyDown}
                  onClick={(e) => setCursor((e.target as HTMLTextAreaElement).selectionStart)}
                  onScroll={(e) => {
                    const area = e.target as HTMLTextAreaElement;
                    const pre = area.previousElementSibling as HTMLElement;
                    pre.scrollTop = area.scrollTop;
                    pre.scrollLeft = area.scrollLeft;
                  }} />
      </div>
      {suggestions.length > 0 && (
        <ul class="completions" role="listbox" data-testid="sql-completions">
          {suggestions.map((s, i) => (
            <li key={s} role="option" aria-selected={i === choice}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}>{s}</li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" data-testid="sql-run" onClick={() => execute(text)}
                disabled={run.state === 'running'}>Run</button>
        <span class="muted hint">Ctrl+Enter runs; Tab completes.</span>
      </p>
      <SaveInsight project={project} query={{ kind: 'HogQLQuery', query: text }} node={chart}
                   label="Save as insight" />
      {run.state === 'running' && <p class="muted">Running…</p>}
      {run.state === 'error' && <p class="error" role="alert" data-testid="sql-error">{run.message}</p>}
      {run.state === 'done' && (
        <div data-testid="sql-answer" data-query={run.query}>
          <p class="muted">{run.answer.results.length} rows{run.answer.hasMore ? ' (more not shown)' : ''}</p>
          <SqlChartSettings chart={chart} columns={run.answer.columns} rows={run.answer.results}
                            onChange={(next) => {
                              setChart(next);
                              navigate(sqlUrl(run.query, next), true);
                            }} />
          <SqlChartView chart={chart} columns={run.answer.columns} rows={run.answer.results}
                        tableTestid="sql-table" />
        </div>
      )}
    </section>
  );
}
