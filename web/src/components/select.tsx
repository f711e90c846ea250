// A labelled <select> of the insight editors: the label names the control for screen readers
// and tests find it by data-testid.
export interface Option { value: string; label: string }

export function Select(props: { label: string; value: string; testid: string; options: Option[];
                                onChange: (value: string) => void }) {
  return (
    <label class="control">
      <span>{props.label}</span>
      <select value={props.value} data-testid={props.testid}
              onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

// `options`, plus `value` as its own option when it is none of them (a hand-edited link).
export function withCurrent(options: Option[], value: string): Option[] {
  return options.some((o) => o.value === value) ? options : [...options, { value, label: value }];
}
