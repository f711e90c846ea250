// An editor's change to its query. The query lives in the address (shareable, and what the page
// shows always belongs to it), so a change is applied to a copy that becomes the new address.
import { navigate } from './router';

export function queryUpdater<Q>(query: Q, urlFor: (next: Q) => string): QueryUpdate<Q> {
  return (change: (next: Q) => void) => {
    const next: Q = structuredClone(query);
    change(next);
    navigate(urlFor(next));
  };
}

// What an editor's controls are given to change its query.
export type QueryUpdate<Q> = (change: (next: Q) => void) => void;
