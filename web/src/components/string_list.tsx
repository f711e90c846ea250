// An editable list of strings (a paths insight's exclusions or wildcard groups): each entry with
// a Remove button, and a field that adds one.
import { useState } from 'preact/hooks';

export function StringList({ legend, testid, items, placeholder, max, onChange }: {
  legend: string;
  testid: string;
  items: string[];
  placeholder: string;
  max: number;
  onChange: (items: string[]) => void;
}) {
  const [text, setText] = useState('');
  const add = (event: Event) => {
    event.preventDefault();
    const item = text.trim();
    if (item && !items.includes(item) && items.length < max) onChange([...items, item]);
    setText('');
  };
  return (
    <fieldset class="list" data-testid={testid}>
      <legend>{legend}</legend>
      <ul>
        {items.map((item, i) => (
          <li key={item} data-testid={`${testid}-item`}>
            <span>{item}</span>
            <button type="button" class="link" aria-label={`Remove ${item}`}
                    onClick={() => onChange(items.filter((_, j) => j !== i))}>Remove</button>
          </li>
        ))}
      </ul>
      <form class="controls" onSubmit={add}>
        <input value={text} placeholder={placeholder} aria-label={placeholder}
               data-testid={`${testid}-input`}
               onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <button type="submit" class="link" disabled={items.length >= max}>Add</button>
      </form>
    </fieldset>
  );
}
