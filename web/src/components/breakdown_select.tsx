// The breakdown control of the insight editors: no breakdown, or one event property from the
// project's property definitions.
import { Select, withCurrent } from './select';

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

// The Trends breakdown: no breakdown, an event property, or a property of the person now
// (option value "person:<name>").
export interface PropertyBreakdown { breakdown: string; breakdown_type: 'event' | 'person' }

export function PropertyBreakdownSelect({ eventProperties, personProperties, value, onChange }: {
  eventProperties: string[]; personProperties: string[]; value: PropertyBreakdown | undefined;
  onChange: (filter: PropertyBreakdown | undefined) => void;
}) {
  const current = !value ? '' : value.breakdown_type === 'person' ? `person:${value.breakdown}`
    : value.breakdown;
  return (
    <Select label="Breakdown by" testid="breakdown" value={current}
            options={withCurrent([{ value: '', label: 'No breakdown' },
                                  ...eventProperties.map((name) => ({ value: name, label: name })),
                                  ...personProperties.map((name) => ({ value: `person:${name}`,
                                                                       label: `Person: ${name}` }))],
                                 current)}
            onChange={(picked) => onChange(!picked ? undefined : picked.startsWith('person:')
              ? { breakdown: picked.slice('person:'.length), breakdown_type: 'person' }
              : { breakdown: picked, breakdown_type: 'event' })} />
  );
}
