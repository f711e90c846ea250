// The interval control of the Trends, Stickiness and Lifecycle editors.
import { Interval, INTERVALS } from '../trends_query';
import { Select } from './select';

export function IntervalSelect({ value, onChange }: { value: Interval;
                                                      onChange: (interval: Interval) => void }) {
  return (
    <Select label="Interval" testid="interval" value={value}
            options={INTERVALS.map((i) => ({ value: i, label: i }))}
            onChange={(picked) => onChange(picked as Interval)} />
  );
}
