import { fileIssue, type LoadIssue } from './load-issue.js';
import { sortIssues, targetOf } from './parse-document.js';
import { type PathIssue, parseYamlDocument } from './yaml/parse-yaml-document.js';

/** Options of {@link locateIssues}. */
export interface LocateIssuesOptions {
  /** The file name to put on issues; `<input>` when left out. */
  source?: string;
}

/**
 * Places issues that hold only a path (and maybe a span), such as those of
 * `checkWorkflow` for `validate --strict`, at their lines and columns in the
 * text of the file they are about: an unknown or invalid key at the key, any
 * other issue at the value. Text that is not one YAML document (it should be
 * the text a workflow was loaded from) puts every issue at line 1, column 1.
 *
 * @returns The issues in source order, ready for `formatIssues(issues, text)`.
 *
 * @example
 * const workflow = parseWorkflow(text, { source });
 * const issues = locateIssues(text, checkWorkflow(workflow, { definedProfiles }), { source });
 * if (issues.length > 0) console.error(formatIssues(issues, text));
 */
export function locateIssues(
  text: string,
  issues: readonly PathIssue[],
  options: LocateIssuesOptions = {},
): LoadIssue[] {
  const { source } = options;
  const content = text.startsWith('\ufeff') ? text.slice(1) : text;
  const document = parseYamlDocument(content, { source, expected: 'a YAML document' });
  if (!document.ok) {
    return issues.map((issue) => ({
      ...fileIssue(issue.code, issue.message, source),
      path: issue.path,
    }));
  }
  return sortIssues(issues.map((issue) => document.locate(issue, targetOf(issue.code))));
}
