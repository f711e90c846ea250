// The query API's answer to an insight query (POST /api/projects/{id}/query/), re-asked whenever
// the query changes: its results, and the HogQL it ran when the server prints one.
import { useEffect, useState } from 'preact/hooks';
import { api, Project } from './api';

export type Answer<R> = { state: 'loading' } | { state: 'error'; message: string }
  | { state: 'done'; results: R; hogql: string | null };

// The answer to `query`; 'loading' until the answer to this very query has arrived, so what is
// shown never belongs to an earlier query.
export function useQueryAnswer<R>(project: Project, query: object, empty: R): Answer<R> {
  const key = JSON.stringify(query);
  const [answer, setAnswer] = useState<{ key: string; answer: Answer<R> }>({
    key: '', answer: { state: 'loading' } });
  useEffect(() => {
    let current = true;
    api<{ results?: R; hogql?: string | null }>('POST', `/api/projects/${project.id}/query/`,
                                                { query })
      .then((body) => current && setAnswer({ key, answer: { state: 'done',
                                                           results: body.results ?? empty,
                                                           hogql: body.hogql ?? null } }))
      .catch((e) => current && setAnswer({ key, answer: { state: 'error', message: e.message } }));
    return () => {
      current = false;
    };
  }, [project.id, key]);
  return answer.key === key ? answer.answer : { state: 'loading' };
}
