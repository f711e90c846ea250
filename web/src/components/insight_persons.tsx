// The persons behind one point of an insight (a retention cell, a lifecycle or stickiness bar):
// the rows of an ActorsQuery over an InsightActorsQuery, each person linking to its page. Names
// and distinct ids come from SDKs and are rendered as text.
import type { Project } from '../api';
import type { Person } from '../pages/persons';
import { useQueryAnswer } from '../query_answer';

// The rows an ActorsQuery asks for at most.
export const PERSONS_LIMIT = 1000;

export function InsightPersons({ project, title, query, keep, onClose }: {
  project: Project;
  title: string;
  query: { kind: 'ActorsQuery'; select: string[]; source: object };
  // Which rows to list (a retention cell keeps those counted at its offset); all by default.
  keep?: (row: unknown[]) => boolean;
  onClose: () => void;
}) {
  const full = { ...query, limit: PERSONS_LIMIT };
  const answer = useQueryAnswer<unknown[][]>(project, full, []);
  const rows = answer.state === 'done' ? answer.results.filter(keep ?? (() => true)) : [];
  return (
    <section class="insight-persons" data-testid="insight-persons" aria-label={title}
             data-query={answer.state === 'done' ? JSON.stringify(full) : undefined}>
      <div class="insight-persons-head">
        <h2>{title}</h2>
        <button type="button" class="link" data-testid="insight-persons-close"
                onClick={onClose}>Close</button>
      </div>
      {answer.state === 'loading' && <p class="muted">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && rows.length === 0 && <p class="muted">No persons.</p>}
      {answer.state === 'done' && rows.length > 0 && (
        <div class="table-scroll">
          <table class="data">
            <thead><tr><th scope="col">Person</th><th scope="col">Distinct ids</th></tr></thead>
            <tbody>
              {rows.map((row) => {
                const person = row[0] as Person;
                return (
                  <tr key={person.uuid} data-testid="insight-persons-row" data-uuid={person.uuid}>
                    <td><a href={`/persons/${person.uuid}`}>{person.name || person.uuid}</a></td>
                    <td data-testid="insight-persons-ids">{person.distinct_ids.join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {answer.state === 'done' && answer.results.length >= PERSONS_LIMIT && (
        <p class="muted">The first {PERSONS_LIMIT} persons only.</p>
      )}
    </section>
  );
}
