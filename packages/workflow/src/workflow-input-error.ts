import { MultiContextError } from '@multi-context/errors';
/** One problem of the inputs given to a run. */
export interface WorkflowInputIssue {
  /** The input's name. */
  input: string;
  /** A human-friendly sentence, such as `missing input "topic" (a string): the subject of the post`. */
  message: string;
}

/**
 * Inputs given to a run that do not fit the workflow's `inputs`: missing,
 * unknown or of the wrong type (see `resolveInputs`). `issues` lists every
 * problem; the message lists them all, one per line.
 *
 * Recognise it with {@link WorkflowInputError.isInstance}, which works across
 * copies of this package (an `instanceof` check does not).
 */
export class WorkflowInputError extends MultiContextError {
  static override errorName = 'WorkflowInputError';

  /** Every problem found, in the order of the workflow's inputs, then unknown ones; never empty. */
  readonly issues: WorkflowInputIssue[];

  constructor(issues: WorkflowInputIssue[]) {
    super(
      issues.length === 1
        ? `Invalid input: ${issues[0]!.message}`
        : `Invalid inputs:\n${issues.map((issue) => `- ${issue.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}
