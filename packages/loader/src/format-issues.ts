import type { LoadIssue } from './load-issue.js';

/** The widest piece of a source line shown under an issue. */
const MAX_EXCERPT = 120;
const UNNAMED_SOURCE = '<input>';

/**
 * Renders an issue compiler-style: `file:line:col: message`, then, when the
 * source `text` is given, the offending line and a caret under the column.
 *
 * @example
 * formatIssue(issue, text);
 * // workflow.yaml:7:5: unknown key "executon_mode" in phase; did you mean "execution_mode"?
 * //     7 |     executon_mode: parallel
 * //       |     ^
 */
export function formatIssue(issue: LoadIssue, text?: string): string {
  return render(issue, text === undefined ? undefined : lineReader(text));
}

/** Renders every issue with {@link formatIssue}, separated by blank lines. */
export function formatIssues(issues: readonly LoadIssue[], text?: string): string {
  const readLine = text === undefined ? undefined : lineReader(text);
  return issues.map((issue) => render(issue, readLine)).join('\n\n');
}

function render(
  issue: LoadIssue,
  readLine: ((line: number) => string | undefined) | undefined,
): string {
  const header = `${issue.source ?? UNNAMED_SOURCE}:${issue.line}:${issue.column}: ${issue.message}`;
  const line = readLine?.(issue.line);
  if (line === undefined) return header;
  const { excerpt, caretAt } = window(line, issue.column - 1);
  const gutter = String(issue.line).padStart(5);
  const pad = excerpt.slice(0, caretAt).replace(/[^\t]/g, ' ');
  return `${header}\n${gutter} | ${printable(excerpt)}\n${' '.repeat(gutter.length)} | ${pad}^`;
}

/**
 * Reads 1-based lines of `text` without their line breaks (YAML breaks lines
 * at `\n`). The line starts are found once, on the first read.
 */
function lineReader(text: string): (line: number) => string | undefined {
  let starts: number[] | undefined;
  return (line) => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    const start = starts[line - 1];
    if (start === undefined) return undefined;
    const next = starts[line];
    const content = text.slice(start, next === undefined ? text.length : next - 1);
    return content.endsWith('\r') ? content.slice(0, -1) : content;
  };
}

/** A piece of a long line around `index`, and where `index` falls in it. */
function window(line: string, index: number): { excerpt: string; caretAt: number } {
  const at = Math.min(Math.max(0, index), line.length);
  if (line.length <= MAX_EXCERPT) return { excerpt: line, caretAt: at };
  const start = Math.max(0, Math.min(at - MAX_EXCERPT / 2, line.length - MAX_EXCERPT));
  const head = start > 0 ? '…' : '';
  const tail = start + MAX_EXCERPT < line.length ? '…' : '';
  return {
    excerpt: head + line.slice(start, start + MAX_EXCERPT) + tail,
    caretAt: at - start + head.length,
  };
}

/** Control characters replaced one for one, so a binary file cannot drive the terminal. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}
