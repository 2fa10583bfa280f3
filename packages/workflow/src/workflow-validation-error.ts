import { formatPath } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

const marker = Symbol.for('multi-context.error.WorkflowValidationError');

/**
 * A workflow given in code (see `defineWorkflow`) that is not valid. `issues`
 * lists every problem; the message shows the first.
 *
 * Recognise it with {@link WorkflowValidationError.isInstance}, which works
 * across copies of this package (an `instanceof` check does not).
 */
export class WorkflowValidationError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance() reads it through `marker in error`
  private readonly [marker] = true;

  /** Every problem found, in the order found; never empty. */
  readonly issues: WorkflowIssueDraft[];

  constructor(issues: WorkflowIssueDraft[]) {
    super(summarise(issues));
    this.name = 'WorkflowValidationError';
    this.issues = issues;
  }

  /** Whether `error` is a WorkflowValidationError from any copy of this package. */
  static isInstance(error: unknown): error is WorkflowValidationError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

function summarise(issues: readonly WorkflowIssueDraft[]): string {
  const [first] = issues;
  if (first === undefined) return 'Invalid workflow.';
  const more = issues.length - 1;
  const rest = more === 0 ? '' : ` (and ${more} more issue${more === 1 ? '' : 's'})`;
  return `Invalid workflow at ${formatPath(first.path)}: ${first.message}${rest}`;
}
