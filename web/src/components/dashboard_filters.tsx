// A dashboard's filters (PostHog's `filters`: date_from, date_to, properties), saved on the
// dashboard and applied by the server to every insight tile's query: a date range replacing the
// insights' own, and event property filters AND-ed with theirs. Values are shown as text.
import { useState } from 'preact/hooks';
import { DATE_RANGES } from '../trends_query';
import { Select, withCurrent } from './select';

export interface PropertyFilter {
  key: string;
  value: string[] | string | number | boolean | null;
  operator?: string;
  type?: string;
}

export interface DashboardFilterValues {
  date_from?: string | null;
  date_to?: string | null;
  properties?: PropertyFilter[] | null;
  [other: string]: unknown;
}

const OWN_RANGE = { value: '', label: "Each insight's own" };

function shownValue(value: PropertyFilter['value']): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function DashboardFilters({ filters, onChange }: {
  filters: DashboardFilterValues;
  onChange: (filters: DashboardFilterValues) => void;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const properties = Array.isArray(filters.properties) ? filters.properties : [];
  const dateFrom = filters.date_from ?? '';
  const add = (event: Event) => {
    event.preventDefault();
    if (!key.trim()) return;
    onChange({
      ...filters,
      properties: [...properties, { key: key.trim(), value: [value], operator: 'exact',
                                    type: 'event' }],
    });
    setKey('');
    setValue('');
  };
  return (
    <div class="controls dashboard-filters" data-testid="dashboard-filters">
      <Select label="Date range" testid="dashboard-date-range" value={dateFrom}
              options={withCurrent([OWN_RANGE, ...DATE_RANGES], dateFrom)}
              onChange={(from) => onChange({ ...filters, date_from: from || null, date_to: null })} />
      <ul class="filter-chips" aria-label="Property filters">
        {properties.map((p, i) => (
          <li key={i} data-testid="dashboard-property-filter">
            <span>{p.key} = {shownValue(p.value)}</span>
            <button type="button" class="link" aria-label={`Remove filter on ${p.key}`}
                    onClick={() => onChange({ ...filters,
                                              properties: properties.filter((_, j) => j !== i) })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form class="controls" data-testid="dashboard-property-form" onSubmit={add}>
        <input name="property_key" placeholder="Event property" aria-label="Event property"
               value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
        <input name="property_value" placeholder="equals" aria-label="Property value"
               value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        <button type="submit">Add filter</button>
      </form>
    </div>
  );
}
