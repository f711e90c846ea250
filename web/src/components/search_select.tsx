// A labelled select of the insight editors whose options the server searches as the user types:
// the search box under it asks `search` (debounced) and the select then lists what it found,
// with the given options whose labels hold every typed word (fixed entries such as "All
// events"). So a project with more definitions than the first page still finds every one.
// Keyboard: type in the box, Enter picks the first found option, ArrowDown moves to the select.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Option } from './select';

const DEBOUNCE_MS = 200;

function matchesWords(label: string, text: string): boolean {
  const lower = label.toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((w) => lower.includes(w));
}

export function SearchSelect(props: {
  label: string; value: string; testid: string; options: Option[];
  onChange: (value: string) => void;
  // The options the server has for `text`; none given: the select lists `options` only.
  search?: (text: string) => Promise<Option[]>;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<{ text: string; options: Option[] } | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const search = props.search;
  const wanted = text.trim();
  useEffect(() => {
    if (!wanted || !search) return;
    let current = true;
    const timer = setTimeout(() => {
      search(wanted)
        .then((options) => current && setFound({ text: wanted, options }))
        .catch(() => current && setFound({ text: wanted, options: [] }));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [wanted]);
  const results = wanted && search && found?.text === wanted ? found.options : null;
  let options = props.options;
  if (results) {
    const seen = new Set(results.map((o) => o.value));
    options = [...results,
               ...props.options.filter((o) => !seen.has(o.value) && matchesWords(o.label, wanted))];
  }
  if (!options.some((o) => o.value === props.value)) {
    const known = [...props.options, ...(found?.options ?? [])].find((o) => o.value === props.value);
    options = [...options, known ?? { value: props.value, label: props.value }];
  }
  const id = `${props.testid}-select`;
  return (
    <div class="search-select">
      <label class="control" for={id}>
        <span>{props.label}</span>
        <select id={id} ref={select} value={props.value} data-testid={props.testid}
                onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      {search && (
        <input type="search" class="search-select-input" placeholder="Search…" value={text}
               aria-label={`Search: ${props.label}`} aria-controls={id}
               data-testid={`${props.testid}-search`}
               onInput={(e) => setText((e.target as HTMLInputElement).value)}
               onKeyDown={(e) => {
                 if (e.key === 'Enter') {
                   e.preventDefault();
                   if (results && results.length > 0) props.onChange(results[0].value);
                 } else if (e.key === 'ArrowDown') {
                   e.preventDefault();
                   select.current?.focus();
                 }
               }} />
      )}
      {results && (
        <span class="muted search-select-count" role="status">
          {results.length === 0 ? 'None found' : `${results.length} found`}</span>
      )}
    </div>
  );
}
