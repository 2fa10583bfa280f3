import { MultiContextError } from '@multi-context/errors';
import { formatPath } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/**
 * A workflow given in code (see `defineWorkflow`) that is not valid. `issues`
 * lists every problem; the message shows the first.
 *
 * Recognise it with {@link WorkflowValidationError.isInstance}, which works
 * across copies of this package (an `instanceof` check does not).
 */
export class WorkflowValidationError extends MultiContextError {
  static override errorName = 'WorkflowValidationError';

  /** Every problem found, in the order found; never empty. */
  readonly issues: WorkflowIssueDraft[];

  constructor(issues: WorkflowIssueDraft[]) {
    super(summarise(issues));
    this.issues = issues;
  }
}

function summarise(issues: readonly WorkflowIssueDraft[]): string {
  const [first] = issues;
  if (first === undefined) return 'Invalid workflow.';
  const more = issues.length - 1;
  const rest = more === 0 ? '' : ` (and ${more} more issue${more === 1 ? '' : 's'})`;
  return `Invalid workflow at ${formatPath(first.path)}: ${first.message}${rest}`;
}
