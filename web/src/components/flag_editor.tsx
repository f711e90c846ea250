// The feature flag form: key, description, enabled, what the flag aggregates by (persons or a
// group type), experience continuity, condition sets (property filters, cohort filters,
// dependencies on other flags, a rollout percentage, a variant override), multivariate variants
// and payloads. Messages for what is wrong are shown next to each field, and the save button
// stays off until there are none.
import { useState } from 'preact/hooks';
import {
  CohortRow, ConditionForm, emptyCondition, evenShares, FilterRow, FlagForm, FlagRow, FormErrors,
  OPERATORS, PropertyRow, VALUELESS_OPERATORS, validateForm,
} from '../feature_flag_model';
import { groupTypePlural, type GroupType } from '../property_suggestions';

export type { GroupType };

// What the cohort filters and flag dependencies can name: the project's cohorts, and its other
// flags with their variants' keys.
export interface FlagChoices {
  cohorts: { id: number; name: string }[];
  flags: { id: number; key: string; variants: string[] }[];
}

function Message({ errors, field }: { errors: FormErrors; field: string }) {
  return errors[field]
    ? <p class="error field-error" data-testid={`flag-error-${field}`}>{errors[field]}</p> : null;
}

const inputValue = (e: Event) => (e.target as HTMLInputElement).value;

function PropertyEditor({ row, label, onChange, onRemove }: {
  row: PropertyRow; label: string; onChange: (row: PropertyRow) => void; onRemove: () => void;
}) {
  const valueless = VALUELESS_OPERATORS.includes(row.operator);
  return (
    <div class="controls flag-property" data-testid="flag-property">
      <input name="property_key" aria-label={`${label}: property`} placeholder="property, e.g. email"
             value={row.key} onInput={(e) => onChange({ ...row, key: inputValue(e) })} />
      <select name="property_operator" aria-label={`${label}: operator`} value={row.operator}
              onChange={(e) => onChange({ ...row, operator: inputValue(e) })}>
        {OPERATORS.map((op) => <option key={op.value} value={op.value}>{op.label}</option>)}
      </select>
      <input name="property_value" aria-label={`${label}: value`} value={valueless ? '' : row.value}
             disabled={valueless}
             placeholder={row.operator === 'exact' || row.operator === 'is_not'
               ? 'values, comma-separated' : 'value'}
             onInput={(e) => onChange({ ...row, value: inputValue(e) })} />
      <button type="button" class="link" onClick={onRemove}>Remove</button>
    </div>
  );
}

function CohortEditor({ row, label, choices, onChange, onRemove }: {
  row: CohortRow; label: string; choices: FlagChoices; onChange: (row: CohortRow) => void;
  onRemove: () => void;
}) {
  const known = choices.cohorts.some((c) => String(c.id) === row.cohort);
  return (
    <div class="controls flag-property" data-testid="flag-cohort">
      <select name="cohort_operator" aria-label={`${label}: in or not in`}
              value={row.negated ? 'not_in' : 'in'}
              onChange={(e) => onChange({ ...row, negated: inputValue(e) === 'not_in' })}>
        <option value="in">in cohort</option>
        <option value="not_in">not in cohort</option>
      </select>
      <select name="cohort_id" aria-label={`${label}: cohort`} value={row.cohort}
              onChange={(e) => onChange({ ...row, cohort: inputValue(e) })}>
        <option value="">Pick a cohort</option>
        {choices.cohorts.map((c) => <option key={c.id} value={String(c.id)}>{c.name}</option>)}
        {row.cohort && !known && <option value={row.cohort}>Cohort {row.cohort}</option>}
      </select>
      <button type="button" class="link" onClick={onRemove}>Remove</button>
    </div>
  );
}

function FlagDependencyEditor({ row, label, choices, selfId, onChange, onRemove }: {
  row: FlagRow; label: string; choices: FlagChoices; selfId: number | null;
  onChange: (row: FlagRow) => void; onRemove: () => void;
}) {
  const others = choices.flags.filter((f) => f.id !== selfId);
  const picked = others.find((f) => String(f.id) === row.flag);
  const values = ['true', 'false', ...(picked?.variants ?? [])];
  if (row.value && !values.includes(row.value)) values.push(row.value);
  return (
    <div class="controls flag-property" data-testid="flag-dependency">
      <select name="dependency_flag" aria-label={`${label}: flag`} value={row.flag}
              onChange={(e) => onChange({ ...row, flag: inputValue(e) })}>
        <option value="">Pick a flag</option>
        {others.map((f) => <option key={f.id} value={String(f.id)}>{f.key}</option>)}
        {row.flag && !picked && <option value={row.flag}>Flag {row.flag}</option>}
      </select>
      <select name="dependency_value" aria-label={`${label}: value`} value={row.value}
              onChange={(e) => onChange({ ...row, value: inputValue(e) })}>
        {values.map((value) => (
          <option key={value} value={value}>
            {value === 'true' ? 'is enabled' : value === 'false' ? 'is disabled'
              : `is variant ${value}`}</option>
        ))}
      </select>
      <button type="button" class="link" onClick={onRemove}>Remove</button>
    </div>
  );
}

function ConditionEditor({ form, index, errors, choices, selfId, onChange, onRemove }: {
  form: FlagForm; index: number; errors: FormErrors; choices: FlagChoices; selfId: number | null;
  onChange: (condition: ConditionForm) => void; onRemove: () => void;
}) {
  const condition = form.conditions[index];
  const label = `Condition set ${index + 1}`;
  const setRow = (j: number, row: FilterRow) => onChange({
    ...condition, properties: condition.properties.map((r, k) => (k === j ? row : r)),
  });
  const removeRow = (j: number) => onChange({
    ...condition, properties: condition.properties.filter((_, k) => k !== j),
  });
  const addRow = (row: FilterRow) => onChange({
    ...condition, properties: [...condition.properties, row],
  });
  return (
    <fieldset class="flag-condition" data-testid="flag-condition">
      <legend>{label}</legend>
      {condition.properties.length === 0 && (
        <p class="muted">Matches every {form.aggregation === null ? 'person' : 'group'}.</p>
      )}
      {condition.properties.map((row, j) => {
        const rowLabel = `${label}, filter ${j + 1}`;
        return (
          <div key={j}>
            {row.kind === 'kept' && (
              <p class="muted" data-testid="flag-kept-filter">
                {row.kept.type} {row.kept.key} {row.kept.operator ?? ''} {JSON.stringify(row.kept.value)}
                {' '}(kept as it is)</p>
            )}
            {row.kind === 'property' && (
              <PropertyEditor row={row} label={rowLabel} onChange={(r) => setRow(j, r)}
                              onRemove={() => removeRow(j)} />
            )}
            {row.kind === 'cohort' && (
              <CohortEditor row={row} label={rowLabel} choices={choices}
                            onChange={(r) => setRow(j, r)} onRemove={() => removeRow(j)} />
            )}
            {row.kind === 'flag' && (
              <FlagDependencyEditor row={row} label={rowLabel} choices={choices} selfId={selfId}
                                    onChange={(r) => setRow(j, r)} onRemove={() => removeRow(j)} />
            )}
            <Message errors={errors} field={`condition-${index}-property-${j}`} />
          </div>
        );
      })}
      <div class="controls">
        <button type="button" data-testid="flag-add-property" onClick={() => addRow(
          { kind: 'property', key: '', operator: 'exact', value: '', original: null })}>
          Add property filter</button>
        {form.aggregation === null && (
          <button type="button" data-testid="flag-add-cohort" onClick={() => addRow(
            { kind: 'cohort', cohort: '', negated: false, original: null })}>
            Add cohort filter</button>
        )}
        {form.aggregation === null && (
          <button type="button" data-testid="flag-add-dependency" onClick={() => addRow(
            { kind: 'flag', flag: '', value: 'true', original: null })}>
            Add flag dependency</button>
        )}
        <label class="control"><span>Roll out to (%)</span>
          <input name="condition_rollout" type="number" min="0" max="100" step="any"
                 value={condition.rollout}
                 onInput={(e) => onChange({ ...condition, rollout: inputValue(e) })} /></label>
        {form.multivariate && (
          <label class="control"><span>Variant override</span>
            <select name="condition_variant" value={condition.variant}
                    onChange={(e) => onChange({ ...condition, variant: inputValue(e) })}>
              <option value="">None</option>
              {form.variants.filter((v) => v.key).map((v) => (
                <option key={v.key} value={v.key}>{v.key}</option>
              ))}
            </select></label>
        )}
        <button type="button" class="link" onClick={onRemove}>Remove condition set</button>
      </div>
      <Message errors={errors} field={`condition-${index}-rollout`} />
      <Message errors={errors} field={`condition-${index}-variant`} />
    </fieldset>
  );
}

function VariantsEditor({ form, errors, set }: {
  form: FlagForm; errors: FormErrors; set: (changes: Partial<FlagForm>) => void;
}) {
  const setVariant = (i: number, changes: Partial<FlagForm['variants'][number]>) =>
    set({ variants: form.variants.map((v, k) => (k === i ? { ...v, ...changes } : v)) });
  return (
    <fieldset data-testid="flag-variants">
      <legend>Variants</legend>
      <table class="data">
        <thead><tr><th scope="col">Key</th><th scope="col">Description</th>
          <th scope="col">Rollout (%)</th><th scope="col">Payload (JSON)</th><th scope="col">
            <span class="visually-hidden">Remove</span></th></tr></thead>
        <tbody>
          {form.variants.map((variant, i) => (
            <tr key={i} data-testid="flag-variant">
              <td><input name="variant_key" aria-label={`Variant ${i + 1} key`} value={variant.key}
                         onInput={(e) => setVariant(i, { key: inputValue(e) })} />
                <Message errors={errors} field={`variant-${i}`} /></td>
              <td><input name="variant_name" aria-label={`Variant ${i + 1} description`}
                         value={variant.name}
                         onInput={(e) => setVariant(i, { name: inputValue(e) })} /></td>
              <td><input name="variant_rollout" type="number" min="0" max="100" step="any"
                         aria-label={`Variant ${i + 1} rollout percentage`} value={variant.rollout}
                         onInput={(e) => setVariant(i, { rollout: inputValue(e) })} /></td>
              <td><textarea name="variant_payload" rows={1} aria-label={`Variant ${i + 1} payload`}
                            value={variant.payload} placeholder='{"any": "JSON"}'
                            onInput={(e) => setVariant(i, { payload: inputValue(e) })} />
                <Message errors={errors} field={`payload-${i}`} /></td>
              <td><button type="button" class="link" disabled={form.variants.length === 1}
                          onClick={() => set({ variants: form.variants.filter((_, k) => k !== i) })}>
                Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Message errors={errors} field="variants" />
      <p class="controls">
        <button type="button" data-testid="flag-add-variant" onClick={() => set({
          variants: [...form.variants, { key: '', name: '', rollout: '0', payload: '' }],
        })}>Add variant</button>
        <button type="button" onClick={() => {
          const shares = evenShares(form.variants.length);
          set({ variants: form.variants.map((v, i) => ({ ...v, rollout: String(shares[i]) })) });
        }}>Distribute evenly</button>
      </p>
    </fieldset>
  );
}

// `selfId`: the flag's id (null while it is created), which its dependencies cannot name.
export function FlagEditor({ initial, groupTypes, choices, selfId, creating, onSave }: {
  initial: FlagForm; groupTypes: GroupType[]; choices: FlagChoices; selfId: number | null;
  creating: boolean; onSave: (form: FlagForm) => Promise<void>;
}) {
  const [form, setForm] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState('');
  const set = (changes: Partial<FlagForm>) => setForm({ ...form, ...changes });
  const errors = validateForm(form);
  const valid = Object.keys(errors).length === 0;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!valid) return;
    setSaving(true);
    setServerError('');
    try {
      await onSave(form);
    } catch (e) {
      setServerError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="editor flag-editor" data-testid="flag-editor" onSubmit={submit} noValidate>
      <div class="controls">
        <label class="control"><span>Key</span>
          <input name="flag_key" value={form.key}
                 onInput={(e) => set({ key: inputValue(e) })} /></label>
        <label class="control"><span>Description</span>
          <input name="flag_name" value={form.name}
                 onInput={(e) => set({ name: inputValue(e) })} /></label>
        <label class="control"><span>Match by</span>
          <select name="flag_aggregation" value={form.aggregation === null ? '' : String(form.aggregation)}
                  onChange={(e) => {
                    const value = inputValue(e);
                    set({ aggregation: value === '' ? null : Number(value) });
                  }}>
            <option value="">Persons</option>
            {groupTypes.map((g) => (
              <option key={g.group_type_index} value={String(g.group_type_index)}>
                Groups: {groupTypePlural(g)}</option>
            ))}
          </select></label>
        <label class="check"><input type="checkbox" name="flag_active" checked={form.active}
                                    onChange={(e) => set({ active: (e.target as HTMLInputElement).checked })} />
          {' '}Enabled</label>
        {form.aggregation === null && (
          <label class="check"><input type="checkbox" name="flag_continuity" checked={form.continuity}
                                      onChange={(e) => set({
                                        continuity: (e.target as HTMLInputElement).checked })} />
            {' '}Persist the value across authentication steps</label>
        )}
      </div>
      <Message errors={errors} field="key" />

      <h2>Release conditions</h2>
      {form.conditions.map((_, i) => (
        <ConditionEditor key={i} form={form} index={i} errors={errors} choices={choices}
                         selfId={selfId}
                         onChange={(condition) => set({
                           conditions: form.conditions.map((c, k) => (k === i ? condition : c)),
                         })}
                         onRemove={() => set({ conditions: form.conditions.filter((_, k) => k !== i) })} />
      ))}
      <Message errors={errors} field="conditions" />
      <p><button type="button" data-testid="flag-add-condition"
                 onClick={() => set({ conditions: [...form.conditions, emptyCondition()] })}>
        Add condition set</button></p>

      <h2>Served value</h2>
      <label class="check"><input type="checkbox" name="flag_multivariate" checked={form.multivariate}
                                  onChange={(e) => set({ multivariate: (e.target as HTMLInputElement).checked })} />
        {' '}Multiple variants (multivariate flag)</label>
      {form.multivariate
        ? <VariantsEditor form={form} errors={errors} set={set} />
        : (
          <label class="control"><span>Payload when the flag is true (JSON, optional)</span>
            <textarea name="payload_true" rows={3} value={form.payloadTrue}
                      onInput={(e) => set({ payloadTrue: inputValue(e) })} /></label>
        )}
      <Message errors={errors} field="payload-true" />

      <p class="controls">
        <button type="submit" data-testid="flag-save" disabled={!valid || saving}>
          {creating ? 'Create flag' : 'Save'}</button>
        {!valid && <span class="muted">Fix the messages above to save.</span>}
      </p>
      {serverError && <p class="error" role="alert" data-testid="flag-server-error">{serverError}</p>}
    </form>
  );
}
