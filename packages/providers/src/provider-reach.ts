import {
  checkWorkflow,
  didYouMean,
  type ProfilesDocument,
  type Workflow,
} from '@multi-context/workflow';
import type { DocumentOrigin } from './document-origin.js';
import type { ProfileSettings } from './profile-config.js';
import { type ProviderSetup, placeIn, placeOf } from './provider-setup.js';

/** What {@link reachedProviders} follows: the workflow's profile uses, and where they are written. */
export interface ReachInput {
  workflow: Workflow;
  /** The workflow's file; undefined for a workflow given in code. */
  workflowOrigin: DocumentOrigin | undefined;
  /** The profiles document given beside the workflow, if any. */
  profiles?: ProfilesDocument;
  /**
   * When a profile that the workflow uses but nothing defines is an error:
   * `when-any-defined`, as `run` has it (with no profiles at all, every task
   * runs on the only provider), or `always` (`validate --strict`).
   */
  undefinedProfiles: 'when-any-defined' | 'always';
}

/**
 * The providers the workflow's tasks (and summarising contexts) reach through
 * their profiles, as core resolves them, and the problems on the way.
 *
 * With profiles defined, a profile the workflow names that is not one of them
 * is an error (with a suggestion), and the provider of the profile suggested
 * counts as reached, so that the problems of that provider (an API key that
 * is not set) are reported in the same run and not only once the name is
 * fixed. Without profiles, every task runs on the only provider, which then
 * needs a default model if it needs a model; with several providers, a task
 * must name a profile that picks one.
 */
export function reachedProviders(
  input: ReachInput,
  configs: Readonly<Record<string, ProfileSettings>>,
  defined: ReadonlySet<string>,
  setup: ProviderSetup,
): Set<string> {
  const { workflow, workflowOrigin } = input;
  const profilesDefined = defined.size > 0;
  if (profilesDefined || input.undefinedProfiles === 'always') {
    const fromFile = Object.keys(input.profiles?.profiles ?? {});
    for (const issue of checkWorkflow(workflow, { definedProfiles: fromFile })) {
      setup.issues.add(issue.message, placeIn(workflowOrigin, issue.path), { code: issue.code });
    }
  }
  const used = new Set<string>();
  const definedNames = [...defined];
  let ambiguous = false;
  const reach = (profile: string | undefined, path: (string | number)[]) => {
    const name = profile ?? workflow.defaultProfile;
    // As core resolves it: a task that names no profile, in a workflow without a default, asks for "default".
    const wanted = name ?? 'default';
    const meant = defined.has(wanted)
      ? wanted
      : name === undefined
        ? undefined
        : didYouMean(name, definedNames);
    const config = meant === undefined ? undefined : configs[meant];
    if (config?.provider !== undefined) used.add(config.provider);
    else if (profilesDefined && (name !== undefined || defined.has('default')))
      return; // Reported above, or its own problem is.
    else if (setup.defaultProvider !== undefined) used.add(setup.defaultProvider);
    else if (!ambiguous) {
      ambiguous = true;
      setup.issues.add(
        `${name === undefined ? 'no profile is named' : `profile "${name}" is not defined`}, and there are several providers (${[...setup.providers.keys()].join(', ')}) to choose from: name a profile that names one`,
        placeIn(workflowOrigin, path),
      );
    }
  };
  for (const [p, phase] of workflow.phases.entries()) {
    for (const [t, task] of phase.tasks.entries()) reach(task.profile, ['phases', p, 'tasks', t]);
  }
  for (const [name, context] of Object.entries(workflow.contexts ?? {})) {
    if (typeof context.trim === 'object') reach(context.trim.profile, ['contexts', name, 'trim']);
  }
  if (!profilesDefined && setup.defaultProvider !== undefined) {
    const entry = setup.providers.get(setup.defaultProvider)!;
    const use = setup.uses.get(setup.defaultProvider);
    if (
      use?.kind === 'builtin' &&
      use.builtin.needsModel &&
      entry.spec.defaultModel === undefined
    ) {
      setup.issues.add(
        `provider "${entry.name}" (${use.name}) has no default_model, and no profile names a model: add default_model: to it, or define profiles`,
        placeOf(entry, 'providers', [], 'key'),
      );
    }
  }
  return used;
}
