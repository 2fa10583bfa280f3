import { MultiContextError } from '@multi-context/errors';
import { formatSetupIssue, type LocatedSetupIssue } from './located-setup-issue.js';

/**
 * The providers of a run cannot be set up as configured: an unknown provider,
 * a module that does not load, a profile without a model, a missing API key.
 * Raised before any provider call, with every problem found (warnings too).
 *
 * @example
 * try {
 *   await setUpProviders({ workflow, workflowFile: 'workflow.yaml', locate: locateIssues });
 * } catch (error) {
 *   if (ProviderSetupError.isInstance(error)) console.error(error.message); // one line per problem
 *   else throw error;
 * }
 */
export class ProviderSetupError extends MultiContextError {
  static override errorName = 'ProviderSetupError';

  /** Every problem, in the order of {@link lines}. */
  readonly issues: readonly LocatedSetupIssue[];
  /** One line per problem: `file:line:col: message`, or `multi-context: message` when no file is concerned. */
  readonly lines: readonly string[];

  constructor(issues: readonly LocatedSetupIssue[]) {
    const lines = issues.map(formatSetupIssue);
    super(lines.join('\n'));
    this.issues = issues;
    this.lines = lines;
  }
}
