// What the SQL editor knows of HogQL without asking the server: the tokens of a query for
// highlighting, the names to complete (tables, columns, functions, keywords and the project's
// property keys), and where the server's "line L, column C: …" errors point.

export type TokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'function' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

export const KEYWORDS = [
  'SELECT', 'DISTINCT', 'FROM', 'WHERE', 'PREWHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT',
  'OFFSET', 'AS', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'BETWEEN', 'CASE',
  'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'INNER', 'LEFT', 'OUTER', 'CROSS', 'ON', 'UNION', 'ALL',
  'WITH', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'INTERVAL', 'TRUE', 'FALSE', 'DAY', 'HOUR',
  'MINUTE', 'WEEK', 'MONTH', 'YEAR',
];
const KEYWORD_SET = new Set(KEYWORDS);

export const FUNCTIONS = [
  'count', 'countIf', 'uniq', 'uniqExact', 'sum', 'sumIf', 'avg', 'avgIf', 'min', 'max', 'any',
  'toDate', 'toDateTime', 'toStartOfMinute', 'toStartOfHour', 'toStartOfDay', 'toStartOfWeek',
  'toStartOfMonth', 'toStartOfQuarter', 'toStartOfYear', 'toMonday', 'toYear', 'toYYYYMM',
  'toUnixTimestamp', 'toHour', 'toMonth', 'toDayOfMonth', 'toDayOfWeek', 'now', 'today',
  'dateDiff', 'match', 'like', 'ilike', 'toString', 'toInt', 'toFloat', 'lower', 'upper',
  'length', 'empty', 'notEmpty', 'trim', 'concat', 'substring', 'coalesce', 'ifNull', 'nullIf',
  'if', 'multiIf', 'isNull', 'isNotNull', 'round', 'floor', 'ceil', 'abs', 'JSONExtractString',
];

export const TABLES: Record<string, string[]> = {
  events: ['uuid', 'event', 'timestamp', 'distinct_id', 'person_id', 'properties', 'person',
           'elements_chain', 'created_at', '$session_id', '$window_id', '$group_0', '$group_1',
           '$group_2', '$group_3', '$group_4'],
  persons: ['id', 'created_at', 'properties', 'is_identified'],
  person_distinct_ids: ['distinct_id', 'person_id'],
  groups: ['index', 'key', 'created_at', 'properties'],
};

// The tokens of `text`, in order; joined they give `text` back.
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    const last = tokens[tokens.length - 1];
    if (kind === 'text' && last?.kind === 'text') last.text += text.slice(i, end);
    else tokens.push({ kind, text: text.slice(i, end) });
    i = end;
  };
  while (i < text.length) {
    const c = text[i];
    if ((c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      push('comment', end < 0 ? text.length : end);
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      push('comment', end < 0 ? text.length : end + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      let end = i + 1;
      while (end < text.length && text[end] !== c) end += text[end] === '\\' ? 2 : 1;
      push(c === "'" ? 'string' : 'text', Math.min(end + 1, text.length));
    } else if (/[0-9]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE_xa-fA-F]/.test(text[end])) end++;
      push('number', end);
    } else if (/[A-Za-z_$]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_$]/.test(text[end])) end++;
      const word = text.slice(i, end);
      let after = end;
      while (after < text.length && text[after] === ' ') after++;
      const kind = KEYWORD_SET.has(word.toUpperCase()) ? 'keyword'
        : text[after] === '(' ? 'function' : 'text';
      push(kind, end);
    } else {
      push('text', i + 1);
    }
  }
  return tokens;
}

// The dotted word ending at `cursor` (e.g. "properties.$br"): what completion replaces.
export function wordBefore(text: string, cursor: number): string {
  let start = cursor;
  while (start > 0 && /[A-Za-z0-9_$.]/.test(text[start - 1])) start--;
  return text.slice(start, cursor);
}

export interface PropertyKeys {
  event: string[];
  person: string[];
}

// Completions for `word`: after `properties.` the event property keys, after
// `person.properties.` the person property keys, after `events.` / `e.`-less table names their
// columns; otherwise tables, columns, functions and keywords starting with it.
export function completions(word: string, keys: PropertyKeys, limit = 12): string[] {
  const dot = word.lastIndexOf('.');
  const prefix = word.slice(0, dot + 1);
  const stem = word.slice(dot + 1).toLowerCase();
  let names: string[];
  if (prefix.endsWith('person.properties.')) names = keys.person;
  else if (prefix.endsWith('properties.')) names = keys.event;
  else if (prefix === 'person.') names = ['id', 'properties', 'created_at'];
  else if (prefix && TABLES[prefix.slice(0, -1)]) names = TABLES[prefix.slice(0, -1)];
  else if (prefix) names = [];
  else {
    names = [...Object.keys(TABLES), ...TABLES.events, ...FUNCTIONS.map((f) => `${f}(`),
             ...KEYWORDS];
  }
  if (!stem && !prefix) return [];
  const unique = [...new Set(names)];
  return unique.filter((name) => name.toLowerCase().startsWith(stem) && name.toLowerCase() !== stem)
    .slice(0, limit)
    .map((name) => prefix + name);
}

// The character offset a "line L, column C: …" message points at, or null.
export function errorOffset(text: string, message: string): number | null {
  const match = message.match(/line (\d+), column (\d+)/);
  if (!match) return null;
  const line = Number(match[1]);
  const column = Number(match[2]);
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return null;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}
