// The breakdown control of the insight editors: no breakdown, or one event property from the
// project's property definitions.
import { Select } from './select';

export interface BreakdownFilter { breakdown: string; breakdown_type: 'event' }

export function BreakdownSelect({ properties, value, onChange }: {
  properties: string[]; value: BreakdownFilter | undefined;
  onChange: (filter: BreakdownFilter | undefined) => void;
}) {
  return (
    <Select label="Breakdown by" testid="breakdown" value={value?.breakdown ?? ''}
            options={[{ value: '', label: 'No breakdown' },
                      ...properties.map((name) => ({ value: name, label: name }))]}
            onChange={(picked) => onChange(picked ? { breakdown: picked, breakdown_type: 'event' }
                                                  : undefined)} />
  );
}

// The breakdown filter of a query's JSON, when it names a property.
export function breakdownFromRaw(raw: any): BreakdownFilter | undefined {
  const breakdown = raw?.breakdownFilter?.breakdown;
  return typeof breakdown === 'string' && breakdown
    ? { breakdown, breakdown_type: 'event' } : undefined;
}
