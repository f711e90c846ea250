// A paths insight's cleaning rules (localPathCleaningFilters): each a regular expression and what
// its matches become (\1 names a group), applied to every path item in order. A rule the server
// refuses shows its message where the answer would be.
import { useState } from 'preact/hooks';
import { PathCleaningRule } from '../paths_query';

export function CleaningRules({ rules, max, onChange }: {
  rules: PathCleaningRule[];
  max: number;
  onChange: (rules: PathCleaningRule[]) => void;
}) {
  const [regex, setRegex] = useState('');
  const [alias, setAlias] = useState('');
  const add = (event: Event) => {
    event.preventDefault();
    if (regex && rules.length < max) onChange([...rules, { regex, alias }]);
    setRegex('');
    setAlias('');
  };
  return (
    <fieldset class="list" data-testid="path-cleaning">
      <legend>Path cleaning rules</legend>
      <ul>
        {rules.map((rule, i) => (
          <li key={i} data-testid="path-cleaning-item">
            <code>{rule.regex}</code> → <code>{rule.alias}</code>
            <button type="button" class="link" aria-label={`Remove rule ${rule.regex}`}
                    onClick={() => onChange(rules.filter((_, j) => j !== i))}>Remove</button>
          </li>
        ))}
      </ul>
      <form class="controls" onSubmit={add}>
        <input value={regex} placeholder="Regex, e.g. /\d+" aria-label="Cleaning regex"
               data-testid="path-cleaning-regex"
               onInput={(e) => setRegex((e.target as HTMLInputElement).value)} />
        <input value={alias} placeholder="Alias, e.g. /:id" aria-label="Cleaning alias"
               data-testid="path-cleaning-alias"
               onInput={(e) => setAlias((e.target as HTMLInputElement).value)} />
        <button type="submit" class="link" disabled={rules.length >= max}>Add rule</button>
      </form>
    </fieldset>
  );
}
