// The feature flag form: key, description, enabled, what the flag aggregates by (persons or a
// group type), condition sets (property filters, a rollout percentage, a variant override),
// multivariate variants and payloads. Messages for what is wrong are shown next to each field,
// and the save button stays off until there are none.
import { useState } from 'preact/hooks';
import {
  ConditionForm, emptyCondition, evenShares, FlagForm, FormErrors, isKept, OPERATORS,
  PropertyRow, VALUELESS_OPERATORS, validateForm,
} from '../feature_flag_model';
import { groupTypePlural, type GroupType } from '../property_suggestions';

export type { GroupType };

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

function ConditionEditor({ form, index, errors, onChange, onRemove }: {
  form: FlagForm; index: number; errors: FormErrors;
  onChange: (condition: ConditionForm) => void; onRemove: () => void;
}) {
  const condition = form.conditions[index];
  const label = `Condition set ${index + 1}`;
  const setRow = (j: number, row: PropertyRow) => onChange({
    ...condition, properties: condition.properties.map((r, k) => (k === j ? row : r)),
  });
  return (
    <fieldset class="flag-condition" data-testid="flag-condition">
      <legend>{label}</legend>
      {condition.properties.length === 0 && (
        <p class="muted">Matches every {form.aggregation === null ? 'person' : 'group'}.</p>
      )}
      {condition.properties.map((row, j) => (
        <div key={j}>
          {isKept(row)
            ? <p class="muted" data-testid="flag-kept-filter">
                {row.kept.type} {row.kept.key} {row.kept.operator ?? ''} {JSON.stringify(row.kept.value)}
                {' '}(kept as it is)</p>
            : <PropertyEditor row={row} label={`${label}, filter ${j + 1}`}
                              onChange={(r) => setRow(j, r)}
                              onRemove={() => onChange({
                                ...condition,
                                properties: condition.properties.filter((_, k) => k !== j),
                              })} />}
          <Message errors={errors} field={`condition-${index}-property-${j}`} />
        </div>
      ))}
      <div class="controls">
        <button type="button" data-testid="flag-add-property" onClick={() => onChange({
          ...condition,
          properties: [...condition.properties,
                       { key: '', operator: 'exact', value: '', original: null }],
        })}>Add property filter</button>
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

export function FlagEditor({ initial, groupTypes, creating, onSave }: {
  initial: FlagForm; groupTypes: GroupType[]; creating: boolean;
  onSave: (form: FlagForm) => Promise<void>;
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
      </div>
      <Message errors={errors} field="key" />

      <h2>Release conditions</h2>
      {form.conditions.map((_, i) => (
        <ConditionEditor key={i} form={form} index={i} errors={errors}
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
