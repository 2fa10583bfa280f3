import { didYouMean } from './did-you-mean.js';
import { quote, quoteList } from './wording.js';
import type { Workflow } from './workflow.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** Options of {@link checkWorkflow}. */
export interface CheckWorkflowOptions {
  /**
   * The profiles a run will have (from a profiles file, the host's code, ...).
   * When given, every profile the workflow names must be among them or among
   * its own `profiles`.
   */
  definedProfiles?: readonly string[];
}

/**
 * The stricter checks of `validate --strict`, on a valid workflow: with
 * `definedProfiles`, every profile that the workflow names (`default_profile`,
 * a task's `profile`, a summarising context's `trim.profile`) must be
 * defined. Each issue's path leads to the name in the workflow file, so a
 * loader can place it (see `locateIssues` of `@multi-context/loader`).
 *
 * @returns The issues found, in document order; empty when there are none.
 *
 * @example
 * checkWorkflow(workflow, { definedProfiles: ['writer'] });
 * // [{ path: ['phases', 0, 'tasks', 1, 'profile'], code: 'undefined_profile', message: 'profile "writr" is not defined; did you mean "writer"?' }]
 */
export function checkWorkflow(
  workflow: Workflow,
  options: CheckWorkflowOptions = {},
): WorkflowIssueDraft[] {
  if (options.definedProfiles === undefined) return [];
  const defined = [
    ...new Set([...options.definedProfiles, ...Object.keys(workflow.profiles ?? {})]),
  ];
  const known = new Set(defined);
  const issues: WorkflowIssueDraft[] = [];
  const use = (profile: string | undefined, path: (string | number)[]) => {
    if (profile === undefined || known.has(profile)) return;
    const suggestion = didYouMean(profile, defined);
    issues.push({
      path,
      code: 'undefined_profile',
      message:
        `profile ${quote(profile)} is not defined` +
        (suggestion
          ? `; did you mean ${quote(suggestion)}?`
          : defined.length > 0
            ? ` (defined: ${quoteList(defined)})`
            : ' (no profiles are defined)'),
    });
  };
  use(workflow.defaultProfile, ['default_profile']);
  for (const [name, context] of Object.entries(workflow.contexts ?? {})) {
    if (typeof context.trim === 'object')
      use(context.trim.profile, ['contexts', name, 'trim', 'profile']);
  }
  for (const [p, phase] of workflow.phases.entries()) {
    for (const [t, task] of phase.tasks.entries())
      use(task.profile, ['phases', p, 'tasks', t, 'profile']);
  }
  return issues;
}
