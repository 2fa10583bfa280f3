import { Composer, type CST, type Document, type LineCounter } from 'yaml';
import type { LoadIssue } from '../load-issue.js';
import { findTooDeep } from './check-nesting.js';
import { inspectDocument, type OffsetIssue } from './inspect-document.js';
import { createLocator, type IssueTarget, type ValueSpan } from './issue-positions.js';
import { toPlainValue } from './to-plain-value.js';
import { MAX_NESTING_DEPTH } from './yaml-limits.js';
import { isEmptyNode } from './yaml-nodes.js';
import { YAML_OPTIONS } from './yaml-options.js';
import { parseYamlTokens, type YamlTokens } from './yaml-tokens.js';

/** What a file should hold, and what it is called in issues. */
export interface YamlDocumentOptions {
  /** The file name put on every issue. */
  source?: string;
  /** What the file should hold, for the message of an empty file: `a workflow: ...`. */
  expected: string;
}

/** A problem without a position yet: a path into the parsed value. */
export interface PathIssue {
  path: (string | number)[];
  message: string;
  code: string;
  /** For a problem inside a string value: where in the string (in UTF-16 code units of the value). */
  span?: ValueSpan;
}

/** A YAML document that parsed cleanly into a plain value. */
export interface ParsedYamlDocument {
  ok: true;
  /**
   * The document as plain JavaScript data (objects, arrays, strings, numbers,
   * booleans, null); converted on first use, as a caller that only places
   * issues (or already has the value) never needs it.
   */
  readonly value: unknown;
  /** Places an issue about the parsed value at the key or value node its path names. */
  locate(issue: PathIssue, target: IssueTarget): LoadIssue;
}

/** A text that is not one safe YAML document: every problem found, in source order. */
export interface FailedYamlDocument {
  ok: false;
  issues: LoadIssue[];
}

/**
 * Parses `text` as a single YAML document, keeping the source positions, and
 * refuses anything unsafe before it becomes JavaScript data: syntax errors
 * (all that the parser reports), nesting deeper than {@link MAX_NESTING_DEPTH},
 * duplicate and `__proto__` keys, bad or exploding aliases, more than one
 * document, and a file with no content. Never throws for any text.
 *
 * Shared by the loaders of YAML files; the caller validates the value's shape
 * and uses `locate` to put its issues at their lines and columns. A caller
 * that already parsed the text (for `simpleYamlValue`) passes its `tokens`.
 */
export function parseYamlDocument(
  text: string,
  options: YamlDocumentOptions,
  { tokens, lines }: YamlTokens = parseYamlTokens(text),
): ParsedYamlDocument | FailedYamlDocument {
  const at = (issue: OffsetIssue): LoadIssue => toLoadIssue(issue, lines, options.source);
  const fail = (issues: OffsetIssue[]): FailedYamlDocument => ({
    ok: false,
    issues: issues.sort((a, b) => a.offset - b.offset).map(at),
  });

  const tooDeep = findTooDeep(tokens, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    return fail([
      {
        message: `the file nests lists and mappings deeper than ${MAX_NESTING_DEPTH} levels`,
        code: 'too_deep',
        path: [],
        offset: tooDeep,
      },
    ]);
  }

  const { document, issues } = composeSingleDocument(tokens, text.length);
  if (isEmptyNode(document.contents) && issues.length === 0) {
    return fail([
      {
        message: `${emptiness(text)}; expected ${options.expected}`,
        code: 'empty_document',
        path: [],
        offset: 0,
      },
    ]);
  }
  const inspection = inspectDocument(document, lines);
  issues.push(...inspection.issues);
  if (issues.length > 0) return fail(issues);

  const offsetOf = createLocator(document, inspection.aliases, text);
  let value: { converted: unknown } | undefined;
  return {
    ok: true,
    get value() {
      value ??= { converted: toPlainValue(document.contents, inspection.aliases) };
      return value.converted;
    },
    locate: (issue, target) =>
      at({
        message: issue.message,
        code: issue.code,
        path: issue.path,
        offset: offsetOf(issue.path, target, issue.span),
      }),
  };
}

function composeSingleDocument(
  tokens: readonly CST.Token[],
  length: number,
): { document: Document.Parsed; issues: OffsetIssue[] } {
  const composer = new Composer(YAML_OPTIONS);
  let document: Document.Parsed | undefined;
  const issues: OffsetIssue[] = [];
  for (const next of composer.compose(tokens, true, length)) {
    if (document === undefined) {
      document = next;
      continue;
    }
    issues.push({
      message:
        'the file holds more than one YAML document (a second one starts here); expected one',
      code: 'multiple_documents',
      path: [],
      offset: next.range[0],
    });
    break;
  }
  // compose(…, forceDoc = true) always yields a document.
  const composed = document!;
  for (const problem of [...composed.errors, ...composed.warnings]) {
    issues.push({
      message: `invalid YAML: ${lowerFirst(problem.message)}`,
      code: `yaml_${problem.code.toLowerCase()}`,
      path: [],
      offset: problem.pos[0],
    });
  }
  return { document: composed, issues };
}

function emptiness(text: string): string {
  if (text.trim() === '') return 'the file is empty';
  return /^\s*#/m.test(text) ? 'the file holds only comments' : 'the file holds no YAML content';
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

function toLoadIssue(
  issue: OffsetIssue,
  lines: LineCounter,
  source: string | undefined,
): LoadIssue {
  const { line, col } = lines.linePos(issue.offset);
  return {
    message: issue.message,
    path: issue.path,
    line: Math.max(1, line),
    column: Math.max(1, col),
    ...(source !== undefined && { source }),
    code: issue.code,
  };
}
