import type { ProfileConfig } from '@multi-context/core';
import type { Provider } from '@multi-context/provider';
import {
  checkWorkflow,
  type ProfilesDocument,
  type ProviderSpec,
  type Workflow,
} from '@multi-context/workflow';
import type { MockSettings } from './builtin-providers.js';
import { makeProvider } from './make-provider.js';
import { profileConfig } from './profile-config.js';
import {
  type Entry,
  mergeSections,
  providerFromEnvironment,
  secretsOf,
} from './provider-sections.js';
import { type ProviderSetup, placeOf } from './provider-setup.js';
import { type DocumentOrigin, SetupIssues } from './provider-setup-error.js';
import { type ProviderUse, resolveProviderUse } from './provider-use.js';

export { MOCK_PROVIDER_NAME } from './provider-sections.js';

/** What `run` knows when it picks the providers of a run. */
export interface ProviderSelectionOptions extends MockSettings {
  workflow: Workflow;
  /** The workflow file: where its own `providers:` and `profiles:` are written. */
  workflowOrigin: DocumentOrigin;
  /** `--profiles`: the loaded profiles file and where it is. Its entries win over the workflow's. */
  profilesFile?: { document: ProfilesDocument; origin: DocumentOrigin };
  /** The environment: API keys, `MULTI_CONTEXT_MODEL`. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The providers a run uses, in the shape `MultiContextOrchestrator` takes them. */
export interface ProviderSelection {
  providers: Record<string, Provider>;
  profiles: Record<string, ProfileConfig>;
  /** The provider of profiles that name none: the only provider, when there is one. */
  defaultProvider: string | undefined;
  /** One line for stderr that says where the answers come from, when the user should know. */
  notice: string | undefined;
  /** The API keys in play: never shown, and taken out of everything the run prints. */
  secrets: string[];
}

/**
 * Picks the providers and profiles of a run and makes the providers it uses,
 * before any call.
 *
 * - The workflow's own `providers:` and `profiles:` come first; the
 *   `--profiles` file's entries replace whole entries of the same name (and
 *   the notice says which).
 * - With no provider configured, the environment picks one: OpenAI when
 *   `OPENAI_API_KEY` is set, else Anthropic when `ANTHROPIC_API_KEY` is set,
 *   else the offline mock provider; the notice says which.
 * - When profiles are defined, every profile the workflow names must be one of
 *   them; when none are, every task runs on the only provider.
 * - Mistakes in any entry are errors; API keys, modules and factories are
 *   checked only for the providers the run uses.
 *
 * @throws ProviderSetupError with every problem found, one line each, at
 *   `file:line:col` when it comes from a file.
 */
export async function selectProviders(
  options: ProviderSelectionOptions,
): Promise<ProviderSelection> {
  const { workflow, env } = options;
  const { providers, profiles, replaced } = mergeSections(
    { sections: workflow, origin: options.workflowOrigin },
    options.profilesFile,
  );
  const notices: string[] = [];
  if (providers.size === 0) {
    const picked = providerFromEnvironment(env);
    providers.set(picked.entry.name, picked.entry);
    notices.push(picked.notice);
  }
  if (replaced.length > 0) {
    notices.push(
      `${options.profilesFile?.origin.source} replaces the workflow's ${replaced.join(', ')}.`,
    );
  }
  const secrets = secretsOf(providers.values(), env);
  const setup: ProviderSetup = {
    providers,
    uses: resolveUses(providers.values()),
    defaultProvider: providers.size === 1 ? [...providers.keys()][0] : undefined,
    issues: new SetupIssues(secrets),
  };
  for (const entry of providers.values()) checkProviderEntry(entry, setup);
  // The packages of the built-in providers named, before their params are checked.
  await Promise.all(
    [...setup.uses.values()].flatMap((use) => (use.kind === 'builtin' ? [use.builtin.load()] : [])),
  );

  const configs: Record<string, ProfileConfig> = {};
  for (const entry of profiles.values()) {
    const config = profileConfig(entry, setup);
    if (config !== undefined) configs[entry.name] = config;
  }
  const used = usedProviders(options, configs, new Set(profiles.keys()), setup);

  const made: Record<string, Provider> = {};
  for (const name of used) {
    const provider = await makeProvider(providers.get(name)!, setup, env, options);
    if (provider !== undefined) made[name] = provider;
  }
  setup.issues.throwIfAny();
  return {
    providers: made,
    profiles: configs,
    defaultProvider:
      setup.defaultProvider !== undefined && Object.hasOwn(made, setup.defaultProvider)
        ? setup.defaultProvider
        : undefined,
    notice: notices.length === 0 ? undefined : notices.join(' '),
    secrets,
  };
}

/** What each provider's `use:` names, resolved from the file that names it. */
function resolveUses(providers: Iterable<Entry<ProviderSpec>>): Map<string, ProviderUse> {
  const uses = new Map<string, ProviderUse>();
  for (const { name, spec, origin } of providers) {
    uses.set(name, resolveProviderUse(spec.use, origin?.path ?? process.cwd()));
  }
  return uses;
}

/** The mistakes a provider entry has whether or not the run uses it. */
function checkProviderEntry(entry: Entry<ProviderSpec>, setup: ProviderSetup): void {
  const use = setup.uses.get(entry.name);
  if (use?.kind === 'invalid') {
    setup.issues.add(
      `provider "${entry.name}": ${use.message}`,
      placeOf(entry, 'providers', ['use']),
    );
  }
  if (entry.spec.options !== undefined && Object.hasOwn(entry.spec.options, 'apiKey')) {
    setup.issues.add(
      `provider "${entry.name}": never write an API key in a file; put it in an environment variable and name that variable in api_key_env`,
      placeOf(entry, 'providers', ['options', 'apiKey'], 'key'),
    );
  }
}

/**
 * The providers the run's tasks (and summarising contexts) reach through
 * their profiles. With profiles defined, a profile the workflow names that is
 * not one of them is an error (with a suggestion); without, every task runs
 * on the only provider, which then needs a default model if it needs a model.
 */
function usedProviders(
  options: ProviderSelectionOptions,
  configs: Record<string, ProfileConfig>,
  defined: ReadonlySet<string>,
  setup: ProviderSetup,
): Set<string> {
  const { workflow } = options;
  const strict = defined.size > 0;
  const used = new Set<string>();
  if (strict) {
    const fromFile = Object.keys(options.profilesFile?.document.profiles ?? {});
    for (const issue of checkWorkflow(workflow, { definedProfiles: fromFile })) {
      setup.issues.add(issue.message, { origin: options.workflowOrigin, path: issue.path });
    }
  }
  let ambiguous = false;
  const reach = (profile: string | undefined, path: (string | number)[]) => {
    const name = profile ?? workflow.defaultProfile;
    // As core resolves it: a task that names no profile, in a workflow without a default, asks for "default".
    const config = configs[name ?? 'default'];
    if (config?.provider !== undefined) used.add(config.provider);
    else if (strict && (name !== undefined || defined.has('default')))
      return; // Reported above, or its own problem is.
    else if (setup.defaultProvider !== undefined) used.add(setup.defaultProvider);
    else if (!ambiguous) {
      ambiguous = true;
      setup.issues.add(
        `${name === undefined ? 'no profile is named' : `profile "${name}" is not defined`}, and there are several providers (${[...setup.providers.keys()].join(', ')}) to choose from: name a profile that names one`,
        { origin: options.workflowOrigin, path },
      );
    }
  };
  for (const [p, phase] of workflow.phases.entries()) {
    for (const [t, task] of phase.tasks.entries()) reach(task.profile, ['phases', p, 'tasks', t]);
  }
  for (const [name, context] of Object.entries(workflow.contexts ?? {})) {
    if (typeof context.trim === 'object') reach(context.trim.profile, ['contexts', name, 'trim']);
  }
  if (!strict && setup.defaultProvider !== undefined) {
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
