/** Helpers that turn paths and values into the words of issue messages. */

type Path = readonly (string | number)[];

const MAX_SHOWN = 40;

/** A short description of a found value: `"paralel"`, `-1`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value (null)';
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** A string in double quotes, shortened when long: `"executon_mode"`. */
export function quote(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}

/** Quoted words joined for a sentence: `"a", "b" and "c"` (or `"a", "b" or "c"`). */
export function quoteList(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  const quoted = words.map(quote);
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/** The top-level sections that map names to entries: `inputs`, `contexts`, `providers`, `profiles`. */
const NAMED_SECTIONS = new Set(['inputs', 'contexts', 'providers', 'profiles']);

/** An entry of a named section: `input "topic"`, `profile "writer"`; undefined for other paths. */
function entryOf(path: Path): string | undefined {
  const [section, name] = path;
  return path.length === 2 && typeof section === 'string' && NAMED_SECTIONS.has(section)
    ? `${singular(section)} ${quote(String(name))}`
    : undefined;
}

/** What the value at `path` is called in a sentence: `execution_mode`, `task 2 of phase 1`, `input "topic"`, `the workflow`. */
export function subjectOf(path: Path): string {
  const last = path.at(-1);
  if (last === undefined) return 'the workflow';
  const entry = entryOf(path);
  if (entry !== undefined) return entry;
  if (typeof last === 'string') return last;
  const items: string[] = [];
  for (let i = path.length - 1; i >= 1; i -= 1) {
    const index = path[i];
    const list = path[i - 1];
    if (typeof index === 'number' && typeof list === 'string') {
      // A list named by a plural gives its items a name (`task 2`); another list does not (`item 1 of stop`).
      if (singular(list) === list) {
        items.push(`item ${index + 1} of ${list}`);
        break;
      }
      items.push(`${singular(list)} ${index + 1}`);
      i -= 1;
    }
  }
  return items.join(' of ') || `item ${last + 1}`;
}

/** What the object at `path` is: `workflow`, `phase`, `task`, `config`, `profile "writer"`. */
export function nounOf(path: Path): string {
  const last = path.at(-1);
  if (last === undefined) return 'workflow';
  const entry = entryOf(path);
  if (entry !== undefined) return entry;
  if (typeof last === 'string') return last;
  const list = path.at(-2);
  return typeof list === 'string' ? singular(list) : 'item';
}

/** A path as code would write it: `phases[0].tasks[1].id`. */
export function formatPath(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? '(root)' : text;
}

/** `inputs` → `input`, `phases` → `phase`. */
export function singular(word: string): string {
  return word.length > 1 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}
