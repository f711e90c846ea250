// The date range control of every insight editor: the usual relative ranges, plus the range a
// hand-edited link holds when it is none of them.
import { DATE_RANGES } from '../trends_query';
import { Select, withCurrent } from './select';

export function DateRangeSelect({ value, onChange }: { value: string;
                                                       onChange: (dateFrom: string) => void }) {
  return (
    <Select label="Date range" testid="date-range" value={value}
            options={withCurrent(DATE_RANGES, value)} onChange={onChange} />
  );
}
