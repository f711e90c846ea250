// Activity: the project's events, newest first, as PostHog's events explorer shows them: an
// EventsQuery (activity_query.ts) whose columns are picked (an event property, or any HogQL
// expression) and removed, narrowed by an event, property filters and a time range, all in the
// URL; a row opens to all the event's properties, its person links to the person's page;
// "Load more" reads the next page, and Live asks every few seconds for the events that arrived
// since the newest shown. Event names, distinct ids and property values come from SDKs: they are
// rendered as text only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, Project } from '../api';
import {
  ActivityQuery, activityFromUrl, activityUrl, columnLabel, eventsQuery, MAX_COLUMNS, PAGE_SIZE,
  RANGES,
} from '../activity_query';
import { cellText, DataTable } from '../components/data_table';
import { PropertyFilterList, PropertyNames } from '../components/property_filter_editor';
import { SearchSelect } from '../components/search_select';
import { Select } from '../components/select';
import { useEventNames, useEventPropertyNames, useEventSearch } from '../definitions';
import { useCohortNames, usePersonPropertyNames } from '../property_suggestions';
import { navigate, useLocation } from '../router';

const LIVE_INTERVAL_MS = 3000;
const MAX_LIVE_ROWS = 500;

interface EventsAnswer { columns: string[]; results: unknown[][]; hasMore?: boolean }

// The `*` column of a row: the whole event.
interface WholeEvent {
  uuid: string; event: string; distinct_id: string; timestamp: string;
  properties: Record<string, unknown>;
}

type Rows = { key: string; rows: unknown[][]; hasMore: boolean };

function whole(row: unknown[]): WholeEvent {
  return (row[0] ?? {}) as WholeEvent;
}

// A cell as its column reads: a person links to its page, a time is local, the rest is text.
function Cell({ column, value }: { column: string; value: unknown }) {
  if (column === 'person' && value && typeof value === 'object') {
    const person = value as { uuid?: string; distinct_id?: string;
                              properties?: Record<string, unknown> };
    const shown = String(person.properties?.email ?? person.properties?.name
      ?? person.distinct_id ?? '');
    return person.uuid ? <a href={`/persons/${person.uuid}`}>{shown}</a> : <>{shown}</>;
  }
  if (column === 'timestamp' && typeof value === 'string') {
    return <span title={value}>{new Date(value).toLocaleString()}</span>;
  }
  return <>{cellText(value)}</>;
}

function EventDetail({ event, span }: { event: WholeEvent; span: number }) {
  const properties = Object.entries(event.properties ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <tr data-testid="event-detail">
      <td colSpan={span}>
        <p class="muted">{event.event} · {event.distinct_id} · {event.timestamp} · {event.uuid}</p>
        <DataTable columns={['Property', 'Value']} testid="event-properties"
                   rows={properties.map(([key, value]) => [key, cellText(value)])} />
      </td>
    </tr>
  );
}

// The columns: each removable, and one more added from an event property or as HogQL.
function ColumnPicker({ query, propertyNames, update }: {
  query: ActivityQuery; propertyNames: string[]; update: (q: ActivityQuery) => void;
}) {
  const [expression, setExpression] = useState('');
  const add = (column: string) => {
    const trimmed = column.trim();
    if (!trimmed || query.columns.includes(trimmed) || query.columns.length >= MAX_COLUMNS) return;
    update({ ...query, columns: [...query.columns, trimmed] });
  };
  return (
    <div class="controls activity-columns" data-testid="activity-columns">
      <ul class="chips">
        {query.columns.map((column) => (
          <li key={column} data-testid="activity-column" data-column={column}>
            {columnLabel(column)}
            <button type="button" class="link" aria-label={`Remove the column ${columnLabel(column)}`}
                    disabled={query.columns.length === 1}
                    onClick={() => update({ ...query,
                                            columns: query.columns.filter((c) => c !== column) })}>
              ×</button>
          </li>
        ))}
      </ul>
      <Select label="Add a property column" testid="activity-add-property" value=""
              options={[{ value: '', label: 'Pick a property' },
                        ...propertyNames.map((name) => ({ value: name, label: name }))]}
              onChange={(name) => name && add(`properties.${name}`)} />
      <form class="controls" onSubmit={(e) => {
        e.preventDefault();
        add(expression);
        setExpression('');
      }}>
        <label class="control"><span>Add a HogQL column</span>
          <input value={expression} placeholder="e.g. properties.$browser" data-testid="activity-add-hogql"
                 onInput={(e) => setExpression((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Add</button>
      </form>
    </div>
  );
}

export function ActivityPage({ project }: { project: Project }) {
  const location = useLocation();
  const query = activityFromUrl(location);
  const key = JSON.stringify(query);
  const update = (next: ActivityQuery) => navigate(activityUrl(next), true);
  const events = useEventNames(project);
  const eventSearch = useEventSearch();
  const names: PropertyNames = { event: useEventPropertyNames(project),
                                 person: usePersonPropertyNames(project),
                                 cohorts: useCohortNames(project), hogql: true };
  const [answer, setAnswer] = useState<Rows | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const base = `/api/projects/${project.id}/query/`;
  const run = (body: Record<string, unknown>) =>
    api<EventsAnswer>('POST', base, { query: body, refresh: 'force_blocking' });

  useEffect(() => {
    let current = true;
    run(eventsQuery(query))
      .then((body) => current && setAnswer({ key, rows: body.results, hasMore: !!body.hasMore }))
      .catch((e) => current && setError({ key, message: (e as Error).message }));
    return () => {
      current = false;
    };
  }, [project.id, key]);

  // Live: the events since the newest shown (a second before it, then dropped by uuid).
  const rows = useRef<Rows | null>(null);
  rows.current = answer;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      const shown = rows.current;
      if (!shown || shown.key !== key) return;
      const newest = shown.rows.length ? Date.parse(whole(shown.rows[0]).timestamp) : NaN;
      const after = Number.isFinite(newest) ? new Date(newest - 1000).toISOString() : query.after;
      run(eventsQuery(query, { after })).then((body) => {
        const latest = rows.current;
        if (!latest || latest.key !== key) return;
        const known = new Set(latest.rows.map((row) => whole(row).uuid));
        const fresh = body.results.filter((row) => !known.has(whole(row).uuid));
        if (fresh.length === 0) return;
        setAnswer({ ...latest, rows: [...fresh, ...latest.rows].slice(0, MAX_LIVE_ROWS) });
      }).catch(() => {});
    }, LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [live, key]);

  const loadMore = async () => {
    if (!answer) return;
    setLoadingMore(true);
    try {
      const body = await run(eventsQuery(query, { offset: answer.rows.length }));
      const known = new Set(answer.rows.map((row) => whole(row).uuid));
      setAnswer({ ...answer, rows: [...answer.rows,
                                    ...body.results.filter((row) => !known.has(whole(row).uuid))],
                  hasMore: !!body.hasMore });
    } catch (e) {
      setError({ key, message: (e as Error).message });
    } finally {
      setLoadingMore(false);
    }
  };

  const shown = answer?.key === key ? answer : null;
  const failed = error?.key === key ? error.message : '';
  const span = query.columns.length + 1;
  return (
    <section class="page">
      <h1>Activity</h1>
      <div class="controls">
        <SearchSelect label="Event" testid="activity-event" value={query.event ?? ''}
                      options={[{ value: '', label: 'All events' },
                                ...events.map((name) => ({ value: name, label: name }))]}
                      search={eventSearch && (async (text) =>
                        (await eventSearch(text)).map((name) => ({ value: name, label: name })))}
                      onChange={(event) => update({ ...query, event: event || null })} />
        <Select label="Date range" testid="activity-range" value={query.after} options={RANGES}
                onChange={(after) => update({ ...query, after })} />
        <label class="check"><input type="checkbox" checked={live} data-testid="activity-live"
                                    onChange={(e) => setLive((e.target as HTMLInputElement).checked)} />
          {' '}Live</label>
      </div>
      <PropertyFilterList project={project} names={names} filters={query.properties}
                          testid="activity-filters"
                          onChange={(properties) => update({ ...query, properties })} />
      <ColumnPicker query={query} propertyNames={names.event} update={update} />
      {failed && <p class="error" role="alert" data-testid="activity-error">{failed}</p>}
      {!shown && !failed && <p class="muted">Loading…</p>}
      {shown && shown.rows.length === 0 && <p class="muted">No events in this range.</p>}
      {shown && shown.rows.length > 0 && (
        <div class="table-scroll">
          <table class="data left" data-testid="events-table" data-query={key}>
            <thead>
              <tr>
                <th scope="col"><span class="visually-hidden">Properties</span></th>
                {query.columns.map((column) => (
                  <th scope="col" key={column}>{columnLabel(column)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.rows.flatMap((row) => {
                const event = whole(row);
                return [
                  <tr key={event.uuid} data-testid="event-row" data-uuid={event.uuid}
                      class="clickable"
                      onClick={(click) => {
                        if ((click.target as Element).closest('a')) return;
                        setOpen(open === event.uuid ? null : event.uuid);
                      }}>
                    <td>
                      <button type="button" class="link" data-testid="event-expand"
                              aria-expanded={open === event.uuid}
                              aria-label={`${open === event.uuid ? 'Hide' : 'Show'} the properties of ${
                                event.event}`}>
                        {open === event.uuid ? '▾' : '▸'}</button>
                    </td>
                    {query.columns.map((column, i) => (
                      <td key={column}><Cell column={column} value={row[i + 1]} /></td>
                    ))}
                  </tr>,
                  ...(open === event.uuid
                    ? [<EventDetail key={`${event.uuid}-detail`} event={event} span={span} />] : []),
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      {shown?.hasMore && (
        <p><button type="button" data-testid="activity-more" disabled={loadingMore}
                   onClick={loadMore}>Load {PAGE_SIZE} more</button></p>
      )}
    </section>
  );
}
