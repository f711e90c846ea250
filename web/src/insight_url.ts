// What the editors' query modules share in reading a query from a URL (?q=<JSON>): the JSON
// itself and lenient readers of its common parts, each falling back to a default so a
// hand-edited link still opens.
import type { EntityNode } from './components/series_picker';

// The ?q= JSON object of `url`, or null when there is none or it is malformed.
export function rawQuery(url: URL): any {
  try {
    const raw = JSON.parse(url.searchParams.get('q') ?? 'null');
    return raw && typeof raw === 'object' ? raw : null;
  } catch {
    return null;
  }
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

// dateRange.date_from of a query's JSON, or `fallback`.
export function dateFromRaw(raw: any, fallback = '-7d'): string {
  return typeof raw?.dateRange?.date_from === 'string' ? raw.dateRange.date_from : fallback;
}

// An EventsNode or ActionsNode of a query's JSON (without math), or null when it is neither.
export function entityFromRaw(node: any): EntityNode | null {
  if (!node || typeof node !== 'object') return null;
  if (node.kind === 'ActionsNode' && Number.isInteger(node.id)) {
    return { kind: 'ActionsNode', id: node.id,
             name: typeof node.name === 'string' ? node.name : `Action ${node.id}` };
  }
  if (node.kind !== 'EventsNode') return null;
  const event = typeof node.event === 'string' ? node.event : null;
  return { kind: 'EventsNode', event, name: event ?? 'All events' };
}

// A whole number from `min` to `max`, or `fallback`.
export function intFromRaw(value: unknown, min: number, max: number, fallback: number): number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? value as number : fallback;
}
