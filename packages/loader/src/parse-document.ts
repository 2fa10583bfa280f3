import type { CST } from 'yaml';
import { fileIssue, type LoadIssue } from './load-issue.js';
import { WorkflowLoadError } from './workflow-load-error.js';
import { type PathIssue, parseYamlDocument } from './yaml/parse-yaml-document.js';
import { simpleYamlValue } from './yaml/simple-yaml-value.js';
import { parseYamlTokens } from './yaml/yaml-tokens.js';

/** What a kind of file holds, and how its parsed value is validated. */
export interface DocumentKind<T> {
  /** What the file is called in messages: `workflow file`. */
  fileName: string;
  /** What the document is called in messages: `workflow`. */
  name: string;
  /** What the file should hold, for the message of an empty file. */
  expected: string;
  /** Validates the parsed value; never throws for bad input. */
  validate(value: unknown): { success: true; value: T } | { success: false; issues: PathIssue[] };
}

/**
 * Parses the text of a file of `kind` (YAML, or JSON) and validates it.
 *
 * @throws {WorkflowLoadError} With every issue, each at its line and column.
 *   Nothing else is thrown, whatever the text.
 */
export function parseDocument<T>(
  text: string,
  source: string | undefined,
  kind: DocumentKind<T>,
): T {
  if (typeof text !== 'string') {
    throw new WorkflowLoadError(
      [
        fileIssue(
          'invalid_input',
          `expected the text of a ${kind.fileName}, got ${typeof text}`,
          source,
        ),
      ],
      { source },
    );
  }
  // Editors do not count a byte order mark as a column; neither do the issues.
  const content = text.startsWith('\ufeff') ? text.slice(1) : text;
  try {
    return parseContent(content, source, kind);
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) throw error;
    // The promise of the parse functions is that only WorkflowLoadError escapes.
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkflowLoadError(
      [fileIssue('internal_error', `the ${kind.name} could not be loaded: ${reason}`, source)],
      { source, text: content, cause: error },
    );
  }
}

function parseContent<T>(text: string, source: string | undefined, kind: DocumentKind<T>): T {
  const tokens = parseYamlTokens(text);
  let result = validateSimple(tokens.tokens, kind);
  if (result?.success) return result.value;
  const document = parseYamlDocument(text, { source, expected: kind.expected }, tokens);
  if (!document.ok) throw new WorkflowLoadError(document.issues, { source, text });
  // A value the fast path read is the value composed here, so its issues are known already.
  result ??= kind.validate(document.value);
  if (result.success) return result.value;
  const issues = sortIssues(
    result.issues.map((issue) => document.locate(issue, targetOf(issue.code))),
  );
  throw new WorkflowLoadError(issues, { source, text });
}

/**
 * The fast path: most files are simple YAML and valid, and then need no
 * Document, and no positions. Undefined for a text that is not simple YAML;
 * that and a value with issues take the full path, which finds and places
 * every issue.
 */
function validateSimple<T>(
  tokens: readonly CST.Token[],
  kind: DocumentKind<T>,
): ReturnType<DocumentKind<T>['validate']> | undefined {
  // A function of its own, so that the value is garbage once validated.
  const simple = simpleYamlValue(tokens);
  return simple === undefined ? undefined : kind.validate(simple.value);
}

/** Issues about a key itself point at the key; all others at the value. */
export function targetOf(code: string): 'key' | 'value' {
  return code === 'unknown_key' || code === 'invalid_key' ? 'key' : 'value';
}

/**
 * Issues in source order (stable for issues at the same place), each place
 * and message once: a mistake in an anchor that several places use through
 * aliases or merge keys is one mistake in the file.
 */
export function sortIssues(issues: LoadIssue[]): LoadIssue[] {
  const seen = new Set<string>();
  return issues
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((issue) => {
      const key = `${issue.line}:${issue.column}:${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
