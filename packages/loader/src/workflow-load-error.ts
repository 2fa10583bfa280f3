import { MultiContextError } from '@multi-context/errors';
import { formatIssue, formatIssues } from './format-issues.js';
import type { WorkflowLoadIssue } from './load-issue.js';

/**
 * A workflow that could not be loaded: not found, not readable, not YAML, or
 * not a valid workflow. `issues` lists every problem found, each with its
 * line and column; {@link WorkflowLoadError.format} renders them with the
 * offending source lines.
 *
 * Recognise it with {@link WorkflowLoadError.isInstance}, which works across
 * copies of this package (an `instanceof` check does not).
 */
export class WorkflowLoadError extends MultiContextError {
  static override errorName = 'WorkflowLoadError';

  /** Every problem found, in source order; never empty. */
  readonly issues: WorkflowLoadIssue[];
  /** The file path, or the `source` name given to `parseWorkflow`. */
  readonly source: string | undefined;
  /** The source text, when there was one, for {@link WorkflowLoadError.format}. */
  readonly text: string | undefined;

  constructor(
    issues: WorkflowLoadIssue[],
    options: { source?: string; text?: string; cause?: unknown } = {},
  ) {
    super(summarise(issues, options.text), { cause: options.cause });
    this.issues = issues;
    this.source = options.source;
    this.text = options.text;
  }

  /**
   * Every issue, compiler-style: `file:line:col: message`, the offending
   * source line, and a caret under the column.
   */
  format(): string {
    return formatIssues(this.issues, this.text);
  }
}

function summarise(issues: readonly WorkflowLoadIssue[], text: string | undefined): string {
  const [first] = issues;
  if (first === undefined) return 'The workflow could not be loaded.';
  const more = issues.length - 1;
  const rest = more === 0 ? '' : `\n(and ${more} more issue${more === 1 ? '' : 's'})`;
  return formatIssue(first, text) + rest;
}
