import type { ProfileConfig } from '@multi-context/core';
import type { ProfilesDocument, ProviderSpec, Workflow } from '@multi-context/workflow';
import { profileConfig } from './profile-config.js';
import { reachedProviders } from './provider-reach.js';
import {
  type Entry,
  mergeSections,
  missingApiKeyVariable,
  providerFromEnvironment,
  secretsOf,
} from './provider-sections.js';
import { type ProviderSetup, placeOf } from './provider-setup.js';
import type { DocumentOrigin } from './provider-setup-error.js';
import { type ProviderUse, resolveProviderUse } from './provider-use.js';
import { type IssueSeverity, SetupIssues } from './setup-issues.js';

/** What the providers and profiles of a run are checked from. */
export interface ProviderSetupCheckOptions {
  workflow: Workflow;
  /** The workflow file: where its own `providers:` and `profiles:` are written. */
  workflowOrigin: DocumentOrigin;
  /** `--profiles`: the loaded profiles file and where it is. Its entries win over the workflow's. */
  profilesFile?: { document: ProfilesDocument; origin: DocumentOrigin };
  /** The environment: API keys, `MULTI_CONTEXT_MODEL`. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * How much is checked:
   * - `entries`: each provider and profile as written, whatever the workflow
   *   uses (`validate`: a host may supply the profiles the workflow names);
   * - `run`: also the profiles the workflow uses, a provider for every task
   *   and the API keys of the providers it reaches: all that `run` stops on
   *   before its first call, but what only importing a plugin module shows;
   * - `strict`: as `run`, and a profile the workflow uses must be defined even
   *   when no profile is (`validate --strict`).
   */
  scope: 'entries' | 'run' | 'strict';
  /** An unset API key variable: an error for `run`, a warning for `validate`. */
  missingApiKey: IssueSeverity;
}

/** The providers and profiles of a run, checked, and what was found. */
export interface ProviderSetupCheck {
  /** The providers by name, what each `use:` names, the default provider, and every problem found. */
  setup: ProviderSetup;
  /** The profiles as core takes them (those with a mistake that leaves them no provider are left out). */
  profiles: Record<string, ProfileConfig>;
  /** The providers the workflow's tasks reach: those a run makes (empty for the `entries` scope). */
  used: ReadonlySet<string>;
  /** One line for stderr that says where the answers come from, when the user should know. */
  notice: string | undefined;
  /** The API keys in play: never shown, and taken out of everything the run prints. */
  secrets: string[];
}

/**
 * The one check of a run's providers and profiles, which `run` (before its
 * first call) and `validate` share, so that the two cannot disagree. It
 * collects every problem, each at its `file:line:col`, and never imports or
 * starts anything a file names: a plugin module is looked for, not loaded.
 * The packages of the built-in providers are loaded only to check the params
 * of a profile that sets some.
 *
 * - The workflow's own `providers:` and `profiles:` come first; the
 *   `--profiles` file's entries replace whole entries of the same name (and
 *   the notice says which).
 * - With no provider configured, the environment picks one: OpenAI when
 *   `OPENAI_API_KEY` is set, else Anthropic when `ANTHROPIC_API_KEY` is set,
 *   else the offline mock provider; the notice says which.
 * - Mistakes in any entry are problems; API keys are checked only for the
 *   providers the workflow reaches.
 */
export async function checkProviderSetup(
  options: ProviderSetupCheckOptions,
): Promise<ProviderSetupCheck> {
  const { workflow, env, profilesFile } = options;
  const { providers, profiles, replaced } = mergeSections(
    { sections: workflow, origin: options.workflowOrigin },
    profilesFile,
  );
  const notices: string[] = [];
  if (providers.size === 0) {
    const picked = providerFromEnvironment(env);
    providers.set(picked.entry.name, picked.entry);
    notices.push(picked.notice);
  }
  if (replaced.length > 0) {
    notices.push(`${profilesFile?.origin.source} replaces the workflow's ${replaced.join(', ')}.`);
  }
  const setup: ProviderSetup = {
    providers,
    uses: resolveUses(providers.values()),
    defaultProvider: providers.size === 1 ? [...providers.keys()][0] : undefined,
    // The profiles file's problems are listed first, then the workflow's.
    issues: new SetupIssues(
      profilesFile === undefined
        ? [options.workflowOrigin]
        : [profilesFile.origin, options.workflowOrigin],
    ),
  };
  for (const entry of providers.values()) checkProviderEntry(entry, setup);

  const configs: Record<string, ProfileConfig> = {};
  for (const entry of profiles.values()) {
    const config = await profileConfig(entry, setup);
    if (config !== undefined) configs[entry.name] = config;
  }
  const used =
    options.scope === 'entries'
      ? new Set<string>()
      : reachedProviders(
          {
            workflow,
            workflowOrigin: options.workflowOrigin,
            ...(profilesFile !== undefined && { profilesFile }),
            undefinedProfiles: options.scope === 'strict' ? 'always' : 'when-any-defined',
          },
          configs,
          new Set(profiles.keys()),
          setup,
        );
  for (const name of used) checkApiKey(providers.get(name)!, setup, env, options.missingApiKey);
  return {
    setup,
    profiles: configs,
    used,
    notice: notices.length === 0 ? undefined : notices.join(' '),
    secrets: secretsOf(providers.values(), env),
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

/** A built-in provider the run reaches needs its API key variable set, unless its options say it needs none. */
function checkApiKey(
  entry: Entry<ProviderSpec>,
  setup: ProviderSetup,
  env: Readonly<Record<string, string | undefined>>,
  severity: IssueSeverity,
): void {
  const use = setup.uses.get(entry.name);
  if (use?.kind !== 'builtin') return;
  const variable = missingApiKeyVariable(entry, use.builtin, env);
  if (variable === undefined) return;
  const hint =
    use.name === 'openai'
      ? '; for a server that needs no key, add options: { requireApiKey: false }'
      : '';
  // Pointed at api_key_env when it is written, else at the provider's name.
  const place =
    entry.spec.apiKeyEnv === undefined
      ? placeOf(entry, 'providers', [], 'key')
      : placeOf(entry, 'providers', ['api_key_env']);
  setup.issues.add(
    `provider "${entry.name}": the API key variable ${variable} is not set${hint}`,
    place,
    { severity },
  );
}
