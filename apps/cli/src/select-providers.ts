import type { ProfileConfig } from '@multi-context/core';
import { type Provider, redactSecrets } from '@multi-context/provider';
import type { ProfilesDocument, Workflow } from '@multi-context/workflow';
import type { MockSettings } from './builtin-providers.js';
import { checkProviderSetup } from './check-provider-setup.js';
import { makeProvider } from './make-provider.js';
import type { DocumentOrigin } from './provider-setup-error.js';

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
 * before any call: {@link checkProviderSetup} (the check `validate` makes
 * too) with every unset API key an error, then each provider the run reaches
 * is made, which imports the plugin modules it names. The problems of both
 * steps are reported together.
 *
 * @throws ProviderSetupError with every problem found, one line each, at
 *   `file:line:col` when it comes from a file.
 */
export async function selectProviders(
  options: ProviderSelectionOptions,
): Promise<ProviderSelection> {
  const check = await checkProviderSetup({
    workflow: options.workflow,
    workflowOrigin: options.workflowOrigin,
    ...(options.profilesFile !== undefined && { profilesFile: options.profilesFile }),
    env: options.env,
    scope: 'run',
    missingApiKey: 'error',
  });
  const { setup } = check;
  const made: Record<string, Provider> = {};
  for (const name of check.used) {
    const provider = await makeProvider(setup.providers.get(name)!, setup, options.env, options);
    if (provider !== undefined) made[name] = provider;
  }
  setup.issues.throwIfAny((text) => redactSecrets(text, check.secrets));
  return {
    providers: made,
    profiles: check.profiles,
    defaultProvider:
      setup.defaultProvider !== undefined && Object.hasOwn(made, setup.defaultProvider)
        ? setup.defaultProvider
        : undefined,
    notice: check.notice,
    secrets: check.secrets,
  };
}
