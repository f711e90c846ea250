// The date range control of every insight editor: the usual relative ranges, plus the range a
// hand-edited link holds when it is none of them.
import type { QueryUpdate } from '../query_edit';
import { DATE_RANGES } from '../trends_query';
import { Select, withCurrent } from './select';

export function DateRangeSelect({ value, onChange }: { value: string;
                                                       onChange: (dateFrom: string) => void }) {
  return (
    <Select label="Date range" testid="date-range" value={value}
            options={withCurrent(DATE_RANGES, value)} onChange={onChange} />
  );
}

// The date range select of an editor's query: picking a range sets dateRange to it alone.
export function QueryDateRange<Q extends { dateRange: { date_from: string } }>({ query, update }: {
  query: Q; update: QueryUpdate<Q>;
}) {
  return (
    <DateRangeSelect value={query.dateRange.date_from}
                     onChange={(value) => update((q) => { q.dateRange = { date_from: value }; })} />
  );
}
