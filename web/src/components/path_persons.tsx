// The persons behind a node or an edge of a paths insight: an ActorsQuery over an
// InsightActorsQuery of the page's PathsQuery (paths_query.ts names the keys), each person
// linking to its page with the number of its matching steps.
import { useEffect, useState } from 'preact/hooks';
import { api, Project } from '../api';
import {
  PathPersonsOf, pathsActorsQuery, PathsQuery, PERSONS_LIMIT, splitNode,
} from '../paths_query';

interface Actor { uuid?: string; id?: string; name?: string; distinct_ids?: string[] }

type Listed = { state: 'loading' } | { state: 'error'; message: string }
  | { state: 'done'; rows: [Actor, number][] };

function nodeLabel(key: string): string {
  const { step, item } = splitNode(key);
  return `${item === '' ? '(empty)' : item} (step ${step})`;
}

function heading(of: PathPersonsOf): string {
  if (of.kind === 'edge') return `Persons from ${nodeLabel(of.source)} to ${nodeLabel(of.target)}`;
  if (of.how === 'dropped') return `Persons whose path ended at ${nodeLabel(of.node)}`;
  if (of.how === 'continued') return `Persons who went on from ${nodeLabel(of.node)}`;
  return `Persons who reached ${nodeLabel(of.node)}`;
}

export function PathPersons({ project, query, of, onChange }: {
  project: Project;
  query: PathsQuery;
  of: PathPersonsOf;
  onChange: (of: PathPersonsOf) => void;
}) {
  const actors = pathsActorsQuery(query, of);
  const key = JSON.stringify(actors);
  const [listed, setListed] = useState<{ key: string; listed: Listed }>({
    key: '', listed: { state: 'loading' } });
  useEffect(() => {
    let current = true;
    api<{ results: [Actor, number][] }>('POST', `/api/projects/${project.id}/query/`,
                                        { query: actors })
      .then((body) => current && setListed({ key, listed: { state: 'done', rows: body.results } }))
      .catch((e) => current && setListed({ key, listed: { state: 'error', message: e.message } }));
    return () => {
      current = false;
    };
  }, [project.id, key]);
  const shown: Listed = listed.key === key ? listed.listed : { state: 'loading' };

  return (
    <div class="path-persons" data-testid="path-persons"
         data-of={JSON.stringify(of)} data-state={shown.state}>
      <h2>{heading(of)}</h2>
      {of.kind === 'node' && (
        <div class="controls" role="group" aria-label="Which persons">
          {(['reached', 'continued', 'dropped'] as const).map((how) => (
            <label key={how}>
              <input type="radio" name="path-persons-how" value={how} checked={of.how === how}
                     data-testid={`path-persons-${how}`}
                     onChange={() => onChange({ ...of, how })} />
              {{ reached: ' Reached it', continued: ' Went on', dropped: ' Ended there' }[how]}
            </label>
          ))}
        </div>
      )}
      {shown.state === 'loading' && <p class="muted">Loading…</p>}
      {shown.state === 'error' && <p class="error" role="alert">{shown.message}</p>}
      {shown.state === 'done' && shown.rows.length === 0 && <p class="muted">Nobody.</p>}
      {shown.state === 'done' && shown.rows.length > 0 && (
        <div class="table-scroll">
          <table class="data left">
            <thead><tr><th scope="col">Person</th><th scope="col">Distinct ids</th>
              <th scope="col">Steps</th></tr></thead>
            <tbody>
              {shown.rows.map(([actor, steps]) => {
                const uuid = actor.uuid ?? actor.id ?? '';
                return (
                  <tr key={uuid} data-testid="path-person" data-uuid={uuid}>
                    <td><a href={`/persons/${uuid}`}>{actor.name || uuid}</a></td>
                    <td data-testid="path-person-ids">{(actor.distinct_ids ?? []).join(', ')}</td>
                    <td>{steps}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {shown.rows.length >= PERSONS_LIMIT && (
            <p class="muted">The first {PERSONS_LIMIT} persons.</p>
          )}
        </div>
      )}
    </div>
  );
}
