import type { ProfileSpec } from '@multi-context/workflow';
import { didYouMean } from '@multi-context/workflow';
import { paramsObject, profileParams } from './profile-params.js';
import type { Entry } from './provider-sections.js';
import { type ProviderSetup, placeOf } from './provider-setup.js';

/**
 * A profile as `MultiContextOrchestrator` takes it (its `ProfileConfig`),
 * written out here so that this package needs nothing of the orchestrator's.
 */
export interface ProfileSettings {
  /** The provider's name: a key of the `providers` it comes with. */
  provider?: string;
  model?: string;
  /** A system message sent first in every call of this profile. */
  system?: string;
  /** Request params in the provider's spelling: `temperature`, `top_p`, `max_tokens`, ... */
  params?: Record<string, unknown>;
  /** The profile's `retries`. */
  retry?: { retries?: number };
  /** Bound of each attempt, in milliseconds. */
  timeoutMs?: number;
  /**
   * Turns usage into a cost: prices per million tokens, cache reads and
   * writes at the input price unless they have their own, in `currency`
   * (US dollars when left out).
   */
  price?: {
    inputPerMillion: number;
    outputPerMillion: number;
    cacheReadPerMillion?: number;
    cacheWritePerMillion?: number;
    currency?: string;
  };
  /**
   * The tools its tasks may call, by name (the orchestrator's `tools`): the
   * profile's named tools. Its MCP servers' tools are added by the host that
   * starts them (see `profileTools` of the setup).
   */
  tools?: string[];
  /** How many model steps a task of this profile may take. */
  maxSteps?: number;
}

/**
 * A profile as core takes it: its provider (the default one when it names
 * none), model, system message, params in the provider's spelling
 * (`temperature`, `top_p`, `max_tokens`, `stop`, `seed`, then its `params`),
 * `retries` as `retry.retries`, `timeoutMs` and `price`.
 *
 * Mistakes a call would fail on are recorded in `setup.issues` first: an
 * undefined provider, a missing model, a param the built-in provider refuses,
 * a setting given twice. Returns undefined when the profile has no provider.
 */
export async function profileConfig(
  entry: Entry<ProfileSpec>,
  setup: ProviderSetup,
): Promise<ProfileSettings | undefined> {
  const { name, spec } = entry;
  const { providers, issues } = setup;
  const names = [...providers.keys()];
  if (spec.provider !== undefined && !providers.has(spec.provider)) {
    const suggestion = didYouMean(spec.provider, names);
    issues.add(
      `profile "${name}" names provider "${spec.provider}", which is not defined` +
        (suggestion === undefined ? '' : `; did you mean "${suggestion}"?`) +
        ` (providers: ${names.join(', ')})`,
      placeOf(entry, 'profiles', ['provider']),
    );
    return undefined;
  }
  const providerName = spec.provider ?? setup.defaultProvider;
  if (providerName === undefined) {
    issues.add(
      `profile "${name}" names no provider, and there are several (${names.join(', ')}): add provider: to it`,
      placeOf(entry, 'profiles', [], 'key'),
    );
    return undefined;
  }

  const { params, clashes } = profileParams(spec);
  for (const clash of clashes) {
    issues.add(
      `profile "${name}" sets ${clash.name} twice, as ${clash.name} and in params: keep one`,
      placeOf(entry, 'profiles', [...clash.path], 'key'),
    );
  }
  const use = setup.uses.get(providerName);
  if (use?.kind === 'builtin') {
    const provider = providers.get(providerName)!;
    if (
      use.builtin.needsModel &&
      spec.model === undefined &&
      provider.spec.defaultModel === undefined
    ) {
      issues.add(
        `profile "${name}" names no model, and provider "${providerName}" (${use.name}) has no default_model: add model: to the profile`,
        placeOf(entry, 'profiles', [], 'key'),
      );
    }
    // Each param alone first, so that a refused one is reported where it is written.
    let refused = false;
    for (const param of params) {
      const failure = await use.builtin.checkParams({ [param.name]: param.value }, providerName);
      if (failure === undefined) continue;
      refused = true;
      issues.add(
        `profile "${name}": ${failure}`,
        placeOf(entry, 'profiles', [...param.path], 'key'),
      );
    }
    // Without params there is nothing to check, and the provider's package stays unloaded.
    const together =
      refused || params.length === 0
        ? undefined
        : await use.builtin.checkParams(paramsObject(params), providerName);
    if (together !== undefined) {
      issues.add(`profile "${name}": ${together}`, placeOf(entry, 'profiles', ['params'], 'key'));
    }
  }
  return {
    provider: providerName,
    ...(spec.model !== undefined && { model: spec.model }),
    ...(spec.system !== undefined && { system: spec.system }),
    params: paramsObject(params),
    ...(spec.retries !== undefined && { retry: { retries: spec.retries } }),
    ...(spec.timeoutMs !== undefined && { timeoutMs: spec.timeoutMs }),
    ...(spec.price !== undefined && { price: spec.price }),
    ...(spec.tools !== undefined && {
      tools: spec.tools.filter((tool): tool is string => typeof tool === 'string'),
    }),
    ...(spec.maxSteps !== undefined && { maxSteps: spec.maxSteps }),
  };
}
