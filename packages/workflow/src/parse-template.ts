import { didYouMean } from './did-you-mean.js';
import type { ParsedTemplate, TemplatePart, TemplateRef, TemplateSource } from './template.js';
import { type TemplateIssue, TemplateSyntaxError } from './template-syntax-error.js';

/** What {@link scanTemplate} found: the parts it could read, and every malformed reference. */
export interface TemplateScan {
  parts: TemplatePart[];
  issues: TemplateIssue[];
}

const ROOTS: readonly TemplateSource[] = ['outputs', 'inputs'];
const BACKSLASH = 92;
const LITERAL_HINT = 'write "\\{{" for literal braces';

/**
 * Parses a prompt template: text with references such as
 * `{{ outputs.research }}`, `{{ outputs.plan.json.steps.0.title }}` and
 * `{{ inputs.topic }}`. The syntax is logic-less: a reference names a value,
 * nothing more, and only `outputs` and `inputs` can be named.
 *
 * - White space inside the braces is optional: `{{outputs.a}}` = `{{ outputs.a }}`.
 * - A path segment is `.name` (letters, digits, `_`, `-`; digits alone are an
 *   array index in a JSON path), `[3]`, or a quoted key `["a key"]` / `['v1.2']`
 *   for ids and keys with other characters.
 * - `\{{` is a literal `{{`; `\\{{` is a literal backslash followed by a
 *   reference. Other backslashes, and `}}` outside a reference, are plain text.
 *
 * @throws {TemplateSyntaxError} With every malformed reference (an unclosed
 *   `{{`, an unknown root such as `{{ env.HOME }}`, a reference without a name).
 *
 * @example
 * parseTemplate('Summarise {{ outputs.research }} for {{ inputs.audience }}.').parts;
 * // [{ kind: 'text', text: 'Summarise ' }, { kind: 'ref', source: 'outputs', name: 'research', path: [], ... }, ...]
 */
export function parseTemplate(text: string): ParsedTemplate {
  const { parts, issues } = scanTemplate(text);
  if (issues.length > 0) throw new TemplateSyntaxError(issues);
  return { parts };
}

/**
 * Parses `text` like {@link parseTemplate}, but returns the malformed
 * references as issues instead of throwing, so a validator can report them
 * all. A malformed reference is left out of `parts`.
 */
export function scanTemplate(text: string): TemplateScan {
  const parts: TemplatePart[] = [];
  const issues: TemplateIssue[] = [];
  let pending = '';
  let from = 0;
  for (let open = text.indexOf('{{'); open !== -1; open = text.indexOf('{{', from)) {
    let slashes = 0;
    while (open - slashes > from && text.charCodeAt(open - slashes - 1) === BACKSLASH) slashes += 1;
    pending += text.slice(from, open - slashes) + '\\'.repeat(slashes >> 1);
    if (slashes % 2 === 1) {
      pending += '{{';
      from = open + 2;
      continue;
    }
    const read = readReference(text, open);
    if ('issue' in read) {
      issues.push(read.issue);
      from = read.resume;
      continue;
    }
    if (pending !== '') parts.push({ kind: 'text', text: pending });
    pending = '';
    parts.push(read.ref);
    from = open + read.ref.length;
  }
  pending += text.slice(from);
  if (pending !== '') parts.push({ kind: 'text', text: pending });
  return { parts, issues };
}

interface Segment {
  value: string | number;
  /** Written as `.name` (not in brackets). */
  bare: boolean;
}

type Read = { ref: TemplateRef } | { issue: TemplateIssue; resume: number };

function readReference(text: string, open: number): Read {
  const close = text.indexOf('}}', open + 2);
  if (close === -1) {
    return failedRead(
      text,
      open,
      close,
      `unclosed "{{": end the reference with "}}", or ${LITERAL_HINT}`,
    );
  }
  // Every prompt of a large workflow comes through here: what only a failure
  // needs (the reference as written, the issue) is made only on failure.
  let at = skipSpace(text, open + 2);
  if (text.startsWith('}}', at)) {
    return failedRead(
      text,
      open,
      close,
      `empty template reference ${text.slice(open, close + 2)}: write {{ outputs.<task id> }} or {{ inputs.<name> }}, or ${LITERAL_HINT}`,
    );
  }
  const root = readBare(text, at);
  if (root === '')
    return failedRead(text, open, close, unexpected(text, at, text.slice(open, close + 2)));
  if (!ROOTS.includes(root as TemplateSource)) {
    const suggestion = didYouMean(root, ROOTS);
    return failedRead(
      text,
      open,
      close,
      `unknown template root "${root}" in ${text.slice(open, close + 2)}` +
        (suggestion
          ? `; did you mean "${suggestion}"?`
          : `: only outputs and inputs can be used (${LITERAL_HINT})`),
    );
  }
  at += root.length;

  const segments: Segment[] = [];
  for (;;) {
    if (text[at] === '.') {
      const word = readBare(text, at + 1);
      if (word === '')
        return failedRead(
          text,
          open,
          close,
          `"." must be followed by a name in ${text.slice(open, close + 2)}`,
        );
      segments.push({ value: word, bare: true });
      at += 1 + word.length;
    } else if (text[at] === '[') {
      const bracket = readBracket(text, at);
      if (bracket === undefined) {
        return failedRead(
          text,
          open,
          close,
          `"[" must hold an index or a quoted key, then "]", such as [0] or ["a key"], in ${text.slice(open, close + 2)}`,
        );
      }
      segments.push({ value: bracket.value, bare: false });
      at = bracket.end;
    } else break;
  }
  at = skipSpace(text, at);
  if (!text.startsWith('}}', at))
    return failedRead(text, open, close, unexpected(text, at, text.slice(open, close + 2)));
  const raw = text.slice(open, at + 2);

  const source = root as TemplateSource;
  const first = segments[0];
  const second = segments[1];
  if (first === undefined) {
    return failedRead(
      text,
      open,
      close,
      source === 'outputs'
        ? `${raw} names no task: write {{ outputs.<task id> }}`
        : `${raw} names no input: write {{ inputs.<name> }}`,
    );
  }
  const name = String(first.value);
  if (source === 'inputs' && second !== undefined) {
    return failedRead(
      text,
      open,
      close,
      `an input has no fields: ${raw} goes past {{ inputs.${name} }}`,
    );
  }
  if (second !== undefined && second.value !== 'json') {
    const rest = segments
      .slice(1)
      .map((segment) => (segment.bare ? `.${segment.value}` : `[${JSON.stringify(segment.value)}]`))
      .join('');
    const dotted = segments.every((segment) => segment.bare);
    return failedRead(
      text,
      open,
      close,
      `after the task id ${JSON.stringify(name)} only ".json" may follow, in ${raw}: did you mean outputs.${name}.json${rest}` +
        (dotted
          ? `, or outputs[${JSON.stringify(segments.map((segment) => segment.value).join('.'))}] for a task id with "."?`
          : '?'),
    );
  }
  const path: (string | number)[] =
    second === undefined ? [] : ['json', ...segments.slice(2).map(jsonSegment)];
  return { ref: { kind: 'ref', source, name, path, raw, offset: open, length: raw.length } };
}

function failedRead(text: string, open: number, close: number, message: string): Read {
  return {
    issue: { message, offset: open, length: close === -1 ? 2 : close + 2 - open },
    resume: close === -1 ? text.length : close + 2,
  };
}

/** `.0` is an index; `.01`, `.name` and every quoted key are keys. */
function jsonSegment(segment: Segment): string | number {
  if (
    segment.bare &&
    typeof segment.value === 'string' &&
    /^(?:0|[1-9]\d{0,15})$/.test(segment.value)
  ) {
    return Number(segment.value);
  }
  return segment.value;
}

function readBracket(
  text: string,
  open: number,
): { value: string | number; end: number } | undefined {
  let at = skipSpace(text, open + 1);
  let value: string | number;
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, at + 1);
    if (end === -1) return undefined;
    value = text.slice(at + 1, end);
    if (value.includes('\n')) return undefined;
    at = end + 1;
  } else {
    const digits = /^\d{1,16}/.exec(text.slice(at, at + 17))?.[0];
    if (digits === undefined) return undefined;
    value = Number(digits);
    at += digits.length;
  }
  at = skipSpace(text, at);
  return text[at] === ']' ? { value, end: at + 1 } : undefined;
}

function readBare(text: string, from: number): string {
  let end = from;
  while (end < text.length && isBareCharacter(text.charCodeAt(end))) end += 1;
  return text.slice(from, end);
}

function isBareCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 // -
  );
}

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && isSpace(text.charCodeAt(at))) at += 1;
  return at;
}

/** Space, tab, line feed or carriage return: the white space a reference may hold around its name. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function unexpected(text: string, at: number, shown: string): string {
  const found = text.startsWith('}}', at) ? '"}}"' : JSON.stringify(text[at]);
  return `unexpected ${found} in ${shown}: a reference is {{ outputs.<task id> }}, {{ outputs.<task id>.json.<path> }} or {{ inputs.<name> }}; ${LITERAL_HINT}`;
}
