import { formatSetupIssue, type LocatedSetupIssue } from './located-setup-issue.js';

const marker = Symbol.for('multi-context.providers.ProviderSetupError');

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
export class ProviderSetupError extends Error {
  readonly [marker] = true;
  /** Every problem, in the order of {@link lines}. */
  readonly issues: readonly LocatedSetupIssue[];
  /** One line per problem: `file:line:col: message`, or `multi-context: message` when no file is concerned. */
  readonly lines: readonly string[];

  constructor(issues: readonly LocatedSetupIssue[]) {
    const lines = issues.map(formatSetupIssue);
    super(lines.join('\n'));
    this.name = 'ProviderSetupError';
    this.issues = issues;
    this.lines = lines;
  }

  /** Whether `error` is a ProviderSetupError from any copy of this package. */
  static isInstance(error: unknown): error is ProviderSetupError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
