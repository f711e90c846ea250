// A table of query rows (HogQL, EventsQuery): one column per name, every value rendered as text.
// Values come from SDKs and users, so they are never interpreted as HTML; objects and arrays are
// shown as their JSON.
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function DataTable(props: { columns: string[]; rows: unknown[][]; testid: string }) {
  return (
    <div class="table-scroll" tabIndex={0}>
      <table data-testid={props.testid} class="data">
        <thead>
          <tr>{props.columns.map((column, i) => <th scope="col" key={i}>{column}</th>)}</tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i} data-testid={`${props.testid}-row`}>
              {row.map((value, j) => (
                <td key={j} class={value === null ? 'null' : undefined}>{cellText(value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
