// "View HogQL": the HogQL the server says an insight query ran (the answer's `hogql`), shown as
// read-only text under a disclosure, with a link that opens it in the SQL editor. Nothing is
// shown when the server printed none (hogql: null).
export function QueryHogQL({ hogql }: { hogql: string | null | undefined }) {
  if (!hogql) return null;
  return (
    <details class="query-hogql" data-testid="view-hogql">
      <summary>View HogQL</summary>
      <pre class="snippet" data-testid="query-hogql-text">{hogql}</pre>
      <a href={`/sql?q=${encodeURIComponent(hogql)}`} data-testid="open-hogql-in-sql">
        Open in SQL editor</a>
    </details>
  );
}
