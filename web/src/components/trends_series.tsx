// One series of the Trends editor: its letter (formulas name it), its event or action, the name
// the legend gives it (custom_name, empty for the event's or action's own), its math (with the
// property a property math aggregates, the group type unique groups counts, or the HogQL
// aggregate of the HogQL math, with the server's refusal of it) and its own property filters.
import { useState } from 'preact/hooks';
import type { Project } from '../api';
import type { Action } from '../pages/actions';
import { groupTypePlural, type GroupType } from '../property_suggestions';
import {
  MATHS, MathType, MAX_CUSTOM_NAME, MAX_MATH_HOGQL, PROPERTY_MATHS, SeriesNode, seriesLetter, setMath,
} from '../trends_query';
import { usePropertyOptionSearch } from '../definitions';
import { PropertyFilterList, PropertyNames } from './property_filter_editor';
import { SearchSelect } from './search_select';
import { Select, withCurrent } from './select';
import { EntityPicker } from './series_picker';

export function TrendsSeriesRow({ project, index, node, events, actions, names, groupTypes,
                                  error, removable, onChange, onRemove, onDuplicate }: {
  project: Project; index: number; node: SeriesNode; events: string[]; actions: Action[];
  names: PropertyNames; groupTypes: GroupType[]; removable: boolean;
  error?: string;  // the server's refusal of the query, shown here when it names math_hogql
  onChange: (change: (node: SeriesNode) => void) => void; onRemove: () => void;
  onDuplicate?: () => void;
}) {
  const i = index;
  const searchProperties = usePropertyOptionSearch('', false);
  return (
    <div class="series-row" data-testid={`series-${i}`}>
      <span class="series-letter">{seriesLetter(i)}</span>
      <EntityPicker testid={`series-${i}-event`} node={node} events={events}
                    actions={actions} allowAllEvents={true}
                    onChange={(picked) => onChange((s) => {
                      if (picked.kind === 'ActionsNode') {
                        Object.assign(s, picked);
                        delete (s as { event?: unknown }).event;
                      } else {
                        Object.assign(s, picked);
                        delete (s as { id?: unknown }).id;
                      }
                    })} />
      <SeriesNameInput key={node.custom_name ?? ''} testid={`series-${i}-name`}
                       value={node.custom_name ?? ''} placeholder={node.name ?? ''}
                       onChange={(name) => onChange((s) => {
                         if (name) s.custom_name = name;
                         else delete s.custom_name;
                       })} />
      <Select label="Math" testid={`series-${i}-math`} value={node.math} options={MATHS}
              onChange={(value) => onChange((s) => setMath(s, value as MathType))} />
      {PROPERTY_MATHS.includes(node.math) && (
        <SearchSelect label="Of property" testid={`series-${i}-math-property`}
                      value={node.math_property ?? ''}
                      options={[{ value: '', label: 'Pick a property' },
                                ...names.event.map((name) => ({ value: name, label: name }))]}
                      search={searchProperties}
                      onChange={(value) => onChange((s) => { s.math_property = value; })} />
      )}
      {node.math === 'unique_group' && (
        <Select label="Group type" testid={`series-${i}-group-type`}
                value={String(node.math_group_type_index ?? 0)}
                options={withCurrent(groupTypes.map((t) => ({ value: String(t.group_type_index),
                                                              label: groupTypePlural(t) })),
                                     String(node.math_group_type_index ?? 0))}
                onChange={(value) => onChange((s) => { s.math_group_type_index = Number(value); })} />
      )}
      {node.math === 'hogql' && (
        <MathHogQLInput key={node.math_hogql ?? ''} testid={`series-${i}-math-hogql`}
                        value={node.math_hogql ?? ''}
                        error={error?.includes(`query.series[${i}].math_hogql`) ? error : undefined}
                        onChange={(expression) => onChange((s) => {
                          if (expression) s.math_hogql = expression;
                        })} />
      )}
      {onDuplicate && (
        <button type="button" class="link" data-testid={`series-${i}-duplicate`}
                onClick={onDuplicate}>Duplicate</button>
      )}
      {removable && (
        <button type="button" class="link" data-testid={`series-${i}-remove`}
                onClick={onRemove}>Remove</button>
      )}
      <PropertyFilterList project={project} names={names} filters={node.properties ?? []}
                          testid={`series-${i}-filters`}
                          onChange={(filters) => onChange((s) => { s.properties = filters; })} />
    </div>
  );
}

// The series' custom name, sent when the field is left or Enter pressed (trimmed; empty: none).
function SeriesNameInput({ testid, value, placeholder, onChange }: {
  testid: string; value: string; placeholder: string; onChange: (name: string) => void;
}) {
  const [text, setText] = useState(value);
  return (
    <label class="control">
      <span>Name</span>
      <input type="text" data-testid={testid} value={text} placeholder={placeholder}
             maxLength={MAX_CUSTOM_NAME} autocomplete="off"
             onInput={(e) => setText((e.target as HTMLInputElement).value)}
             onChange={(e) => onChange((e.target as HTMLInputElement).value.trim())} />
    </label>
  );
}

// The HogQL aggregate of the HogQL math (`count()`, `avg(toFloat(properties.price))`), sent when
// the field is left or Enter pressed (trimmed; empty changes nothing), with the server's refusal
// of it after it.
function MathHogQLInput({ testid, value, error, onChange }: {
  testid: string; value: string; error?: string; onChange: (expression: string) => void;
}) {
  const [text, setText] = useState(value);
  return (
    <>
      <label class="control">
        <span>HogQL aggregate</span>
        <input type="text" data-testid={testid} value={text} maxLength={MAX_MATH_HOGQL}
               placeholder="e.g. avg(toFloat(properties.price))" autocomplete="off"
               spellcheck={false} aria-invalid={error ? 'true' : undefined}
               onInput={(e) => setText((e.target as HTMLInputElement).value)}
               onChange={(e) => onChange((e.target as HTMLInputElement).value.trim())} />
      </label>
      {error && <span class="error" role="alert" data-testid={`${testid}-error`}>{error}</span>}
    </>
  );
}
