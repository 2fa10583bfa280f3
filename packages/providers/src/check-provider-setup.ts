import type { ProviderFactory } from '@multi-context/provider';
import type {
  ProfilesDocument,
  ProfileToolEntry,
  ProviderSpec,
  Workflow,
} from '@multi-context/workflow';
import { checkCurrencies } from './check-currencies.js';
import { type DocumentOrigin, originOf } from './document-origin.js';
import type { LocateIssues } from './issue-locator.js';
import type { IssueSeverity } from './located-setup-issue.js';
import {
  checkMcpSetup,
  type McpServerSetup,
  mcpServerSetups,
  profileToolEntries,
} from './mcp-setup.js';
import { type ProfileSettings, profileConfig } from './profile-config.js';
import { reachedProviders } from './provider-reach.js';
import {
  type Entry,
  mergeSections,
  missingApiKeyVariable,
  providerFromEnvironment,
  secretsOf,
} from './provider-sections.js';
import { type ProviderSetup, placeOf } from './provider-setup.js';
import { resolveProviderUse } from './provider-use.js';
import { SetupIssues } from './setup-issues.js';

/** The environment: API keys, `MULTI_CONTEXT_MODEL`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What the providers and profiles of a run are set up from. */
export interface ProviderSources {
  /** The workflow, whose own `providers:` and `profiles:` come first. */
  workflow: Workflow;
  /**
   * The file the workflow was loaded from: the path given to `loadWorkflow`
   * (relative to the working directory), or `{ source, path }` to name it
   * otherwise in messages. Its problems are placed in it, and module paths in
   * `use:` resolve from its folder. Leave it out for a workflow made in code
   * (module paths then resolve from the working directory).
   */
  workflowFile?: string | DocumentOrigin;
  /** A profiles document (`loadProfiles`): its entries replace the workflow's of the same name. */
  profiles?: ProfilesDocument;
  /** The file {@link profiles} was loaded from, as {@link workflowFile}. */
  profilesFile?: string | DocumentOrigin;
  /** The environment: API keys, `MULTI_CONTEXT_MODEL`. Default: `process.env`. */
  env?: Environment;
  /**
   * Places a problem at its line and column in the file it is in:
   * `locateIssues` of `@multi-context/loader`. Without it a problem names its
   * file and setting (`workflow.yaml: providers.gpt.use: ...`).
   */
  locate?: LocateIssues;
  /**
   * Factories of `use:` names that the host makes in code (an AI SDK model,
   * a test double): they win over the built-in names.
   */
  factories?: Readonly<Record<string, ProviderFactory>>;
}

/** What {@link checkProviderSetup} is told: the sources, and how much to check. */
export interface ProviderSetupCheckOptions extends ProviderSources {
  /**
   * How much is checked:
   * - `entries`: each provider and profile as written, whatever the workflow
   *   uses (`validate`: a host may supply the profiles the workflow names);
   * - `run` (the default): also the profiles the workflow uses, a provider
   *   for every task and the API keys of the providers it reaches: all that a
   *   run stops on before its first call but what only importing a plugin
   *   module shows;
   * - `strict`: as `run`, and a profile the workflow uses must be defined even
   *   when no profile is (`validate --strict`).
   */
  scope?: 'entries' | 'run' | 'strict';
  /** An unset API key variable: an `error` (the default, as for a run) or a `warning` (`validate`). */
  missingApiKey?: IssueSeverity;
}

/** The providers and profiles of a run, checked, and what was found. */
export interface ProviderSetupCheck {
  /** Every problem found: `issues.hasErrors`, `issues.located()`, `issues.throwIfAny()`. */
  issues: SetupIssues;
  /** The profiles as the orchestrator takes them (those left without a provider by a mistake are left out). */
  profiles: Record<string, ProfileSettings>;
  /** The providers the workflow's tasks reach: those a run makes (empty for the `entries` scope). */
  used: ReadonlySet<string>;
  /** One line that says where the answers come from, when the user should know. */
  notice: string | undefined;
  /** The API keys in play: to be kept out of everything shown, logged or stored. */
  secrets: string[];
  /** The MCP servers a run starts, and the profiles that name them (empty when none does). */
  mcp: McpSetup;
}

/**
 * The MCP side of a run: every server defined (the workflow's and the
 * profiles file's), and the `tools` of each profile the workflow's tasks use
 * that names a server. A host starts the servers those profiles name (see
 * `startMcpTools` of `@multi-context/mcp`) and adds their tools.
 */
export interface McpSetup {
  servers: Record<string, McpServerSetup>;
  profiles: Record<string, ProfileToolEntry[]>;
}

/**
 * The one check of a run's providers and profiles, which a run (before its
 * first call, through `setUpProviders`) and a checker such as `validate`
 * share, so that the two cannot disagree. It collects every problem, each at
 * its `file:line:col`, and never imports or starts anything a file names: a
 * plugin module is looked for, not loaded. The light `/params` entries of the
 * built-in providers' packages are loaded to check the params of a profile
 * that sets some; no SDK is.
 *
 * - The workflow's own `providers:` and `profiles:` come first; the profiles
 *   document's entries replace whole entries of the same name (and the
 *   notice says which).
 * - With no provider configured, the environment picks one: OpenAI when
 *   `OPENAI_API_KEY` is set, else Anthropic when `ANTHROPIC_API_KEY` is set,
 *   else the offline mock provider; the notice says which.
 * - Mistakes in any entry are problems; API keys are checked only for the
 *   providers the workflow reaches.
 *
 * @example
 * const check = await checkProviderSetup({ workflow, workflowFile: 'workflow.yaml', locate: locateIssues, scope: 'strict' });
 * for (const issue of check.issues.located()) console.error(formatSetupIssue(issue));
 */
export async function checkProviderSetup(
  options: ProviderSetupCheckOptions,
): Promise<ProviderSetupCheck> {
  return (await inspectProviderSetup(options)).check;
}

/** {@link checkProviderSetup}, with what a run goes on to make the providers from. */
export async function inspectProviderSetup(
  options: ProviderSetupCheckOptions,
): Promise<{ check: ProviderSetupCheck; setup: ProviderSetup }> {
  const { workflow, profiles: profilesDocument } = options;
  const env = options.env ?? process.env;
  const scope = options.scope ?? 'run';
  const workflowOrigin =
    options.workflowFile === undefined ? undefined : originOf(options.workflowFile);
  const profilesOrigin =
    options.profilesFile === undefined ? undefined : originOf(options.profilesFile);
  const { providers, profiles, mcpServers, replaced } = mergeSections(
    { sections: workflow, origin: workflowOrigin },
    profilesDocument === undefined
      ? undefined
      : { document: profilesDocument, origin: profilesOrigin },
  );
  const notices: string[] = [];
  if (providers.size === 0) {
    const picked = providerFromEnvironment(env);
    providers.set(picked.entry.name, picked.entry);
    notices.push(picked.notice);
  }
  if (replaced.length > 0) {
    notices.push(
      `${profilesOrigin?.source ?? 'the profiles document'} replaces the workflow's ${replaced.join(', ')}.`,
    );
  }
  const setup: ProviderSetup = {
    providers,
    uses: new Map(
      [...providers.values()].map(({ name, spec, origin }) => [
        name,
        resolveProviderUse(spec.use, origin?.path, options.factories),
      ]),
    ),
    defaultProvider: providers.size === 1 ? [...providers.keys()][0] : undefined,
    // The profiles file's problems are listed first, then the workflow's.
    issues: new SetupIssues(
      [profilesOrigin, workflowOrigin].filter((origin) => origin !== undefined),
      options.locate,
    ),
  };
  for (const entry of providers.values()) checkProviderEntry(entry, setup);

  const configs: Record<string, ProfileSettings> = {};
  for (const entry of profiles.values()) {
    const config = await profileConfig(entry, setup);
    if (config !== undefined) configs[entry.name] = config;
  }
  checkCurrencies(profiles.values(), setup);
  const used =
    scope === 'entries'
      ? new Set<string>()
      : reachedProviders(
          {
            workflow,
            workflowOrigin,
            ...(profilesDocument !== undefined && { profiles: profilesDocument }),
            undefinedProfiles: scope === 'strict' ? 'always' : 'when-any-defined',
          },
          configs,
          new Set(profiles.keys()),
          setup,
        );
  const severity = options.missingApiKey ?? 'error';
  for (const name of used) checkApiKey(providers.get(name)!, setup, env, severity);
  const usedProfiles = scope === 'entries' ? new Set<string>() : profilesUsedBy(workflow);
  checkMcpSetup(mcpServers, profiles.values(), usedProfiles, setup.issues, env, severity);
  const mcpProfiles = Object.fromEntries(
    Object.entries(profileToolEntries(profiles.values())).filter(
      ([name, tools]) => usedProfiles.has(name) && tools.some((tool) => typeof tool !== 'string'),
    ),
  );
  const check: ProviderSetupCheck = {
    issues: setup.issues,
    profiles: configs,
    used,
    notice: notices.length === 0 ? undefined : notices.join(' '),
    secrets: secretsOf(providers.values(), env),
    mcp: { servers: mcpServerSetups(mcpServers), profiles: mcpProfiles },
  };
  return { check, setup };
}

/** The profiles the workflow's tasks run with, as core resolves them (`default` for a task that names none, without a default). */
function profilesUsedBy(workflow: Workflow): Set<string> {
  const used = new Set<string>();
  for (const phase of workflow.phases) {
    for (const task of phase.tasks) used.add(task.profile ?? workflow.defaultProfile ?? 'default');
  }
  return used;
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
  env: Environment,
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
