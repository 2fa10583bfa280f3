import type { Provider } from '@multi-context/provider';
import type { ProviderRateLimit } from '@multi-context/workflow';
import type { MockProviderSettings } from './builtin-providers.js';
import {
  inspectProviderSetup,
  type McpSetup,
  type ProviderSources,
} from './check-provider-setup.js';
import { makeProvider } from './make-provider.js';
import type { ProfileSettings } from './profile-config.js';
import { priceProfiles } from './profile-prices.js';

/** What {@link setUpProviders} is told: where the sections are, and how to make the offline provider. */
export interface ProviderSetupOptions extends ProviderSources {
  /** Settings of every `use: mock` provider, under what its `options:` say. */
  mock?: MockProviderSettings;
  /**
   * Whether the providers returned keep to their `rate_limit` in this
   * process (default `true`): a call over the limit waits for its turn.
   * A host that shares the limits between processes (a BullMQ worker) sets
   * `false` and applies `rateLimits` itself.
   */
  applyRateLimits?: boolean;
}

/**
 * The providers and profiles of a run, in the shape `MultiContextOrchestrator`
 * takes them (`new MultiContextOrchestrator(setup)` works as it is), and what
 * the host should show and hide.
 */
export interface ProviderSetupResult {
  /** The providers the workflow uses, made, by name. */
  providers: Record<string, Provider>;
  /**
   * Every profile defined, as the orchestrator takes it; those the run uses
   * priced by their own `price:` or the price table (a task's profile that is
   * not defined gets an entry when the table prices its default provider).
   */
  profiles: Record<string, ProfileSettings>;
  /** The provider of profiles that name none: the only provider, when there is one. */
  defaultProvider?: string;
  /** One line that says where the answers come from, when the user should know. */
  notice?: string;
  /**
   * One line per provider and model the run uses that has no price (neither
   * the profile's nor the price table's): its cost is not counted. Show them
   * once, before the run.
   */
  priceNotes: string[];
  /** The API keys in play: keep them out of everything the host shows, logs or stores. */
  secrets: string[];
  /**
   * The `rate_limit` of each provider in `providers` that has one, by name:
   * already applied to `providers` in this process unless `applyRateLimits`
   * was `false` (a BullMQ worker shares them through Redis instead).
   */
  rateLimits: Record<string, ProviderRateLimit>;
  /**
   * The MCP servers defined, and the tool entries of each profile the run
   * uses that names one: start them with `startMcpTools` of
   * `@multi-context/mcp` and add their tools to `profiles` (empty when no
   * profile names a server).
   */
  mcp: McpSetup;
}

/**
 * Sets up the providers and profiles of a run from the workflow's own
 * `providers:` and `profiles:`, a profiles document and the environment,
 * before any call: {@link checkProviderSetup} with every unset API key an
 * error, then each provider the workflow reaches is made. A built-in
 * provider's package (and so its SDK) is loaded only when it is made; a
 * plugin module is imported, which runs its code. The problems of both steps
 * are reported together, API keys taken out.
 *
 * @throws ProviderSetupError with every problem found, one line each, at
 *   `file:line:col` when it comes from a file (given `locate`).
 *
 * @example
 * import { MultiContextOrchestrator } from '@multi-context/core';
 * import { loadWorkflow, locateIssues } from '@multi-context/loader';
 * import { setUpProviders } from '@multi-context/providers';
 *
 * const workflow = await loadWorkflow('workflow.yaml');
 * const setup = await setUpProviders({ workflow, workflowFile: 'workflow.yaml', locate: locateIssues });
 * if (setup.notice) console.error(setup.notice);
 * const result = await new MultiContextOrchestrator(setup).run(workflow).result;
 */
export async function setUpProviders(options: ProviderSetupOptions): Promise<ProviderSetupResult> {
  const env = options.env ?? process.env;
  const { check, setup } = await inspectProviderSetup({ ...options, env, scope: 'run' });
  const made: Record<string, Provider> = {};
  const rateLimits: Record<string, ProviderRateLimit> = {};
  for (const name of check.used) {
    const entry = setup.providers.get(name)!;
    const provider = await makeProvider(entry, setup, env, options.mock ?? {});
    const limit = entry.spec.rateLimit;
    if (limit !== undefined) rateLimits[name] = { ...limit };
    if (provider === undefined) continue;
    if (limit === undefined || options.applyRateLimits === false) made[name] = provider;
    else {
      // Loaded only for a limit: it needs rxjs, which a checker that imports this package goes without.
      const { limitRateInProcess } = await import('./in-process-rate-limits.js');
      made[name] = limitRateInProcess(provider, limit);
    }
  }
  // Loaded here, not on import: a checker that imports this package goes without it.
  const { redactSecrets } = await import('@multi-context/provider');
  check.issues.throwIfAny((text) => redactSecrets(text, check.secrets));
  const { defaultProvider } = setup;
  const priced = await priceProfiles(options.workflow, check.profiles, setup);
  return {
    providers: made,
    profiles: priced.profiles,
    ...(defaultProvider !== undefined &&
      Object.hasOwn(made, defaultProvider) && { defaultProvider }),
    ...(check.notice !== undefined && { notice: check.notice }),
    priceNotes: priced.notes,
    secrets: check.secrets,
    rateLimits,
    mcp: check.mcp,
  };
}
