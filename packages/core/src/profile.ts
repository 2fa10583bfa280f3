import type { Provider, ProviderToolDefinition } from '@multi-context/provider';
import type { RetryPolicy } from './retry-policy.js';
import type { Tool } from './tool.js';

/** A price per million tokens, used to compute a task's cost. */
export interface ProfilePrice {
  /** Input tokens neither read from nor written to a prompt cache. */
  inputPerMillion: number;
  outputPerMillion: number;
  /** Input tokens read from the provider's prompt cache; `inputPerMillion` when left out. */
  cacheReadPerMillion?: number;
  /** Input tokens written to the provider's prompt cache; `inputPerMillion` when left out. */
  cacheWritePerMillion?: number;
  /**
   * The ISO 4217 code of these prices; `USD` when left out. The profiles of
   * one orchestrator share a currency, so that a run's cost is one sum.
   */
  currency?: string;
}

/** The currency of a price that names none. */
export const DEFAULT_CURRENCY = 'USD';

/** How a profile name turns into a provider call. */
export interface ProfileConfig {
  /** The provider instance name (a key of `providers`); defaults to `defaultProvider`. */
  provider?: string;
  model?: string;
  /** A system message sent first in every call of this profile. */
  system?: string;
  /** Provider-specific settings passed through as `request.params` (temperature, max_tokens, ...). */
  params?: Record<string, unknown>;
  /** Overrides of the retry policy for tasks of this profile. */
  retry?: Partial<RetryPolicy>;
  /** Bound of each attempt in milliseconds. */
  timeoutMs?: number;
  /** A price that turns usage into a cost. */
  price?: ProfilePrice;
  /**
   * The tools its tasks may call, by name (keys of the orchestrator's `tools`).
   * A task of a profile with tools runs the agent loop: the model's tool calls
   * are run and their results sent back until it answers.
   */
  tools?: string[];
  /** How many model steps a task of this profile may take (tool calls are steps); a task's `maxSteps` wins. */
  maxSteps?: number;
}

/** A profile's tools, found once per run: by name, and as providers are sent them. */
export interface ResolvedTools {
  byName: ReadonlyMap<string, Tool>;
  definitions: ProviderToolDefinition[];
}

/** A profile with its provider found. */
export interface ResolvedProfile {
  name: string;
  providerName: string;
  provider: Provider;
  model: string | undefined;
  system: string | undefined;
  params: Readonly<Record<string, unknown>>;
  retry: Partial<RetryPolicy> | undefined;
  timeoutMs: number | undefined;
  price: ProfilePrice | undefined;
  /** Undefined when the profile names no tools. */
  tools: ResolvedTools | undefined;
  maxSteps: number | undefined;
}
