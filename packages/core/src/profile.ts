import type { Provider } from '@multi-context/provider';
import type { RetryPolicy } from './retry-policy.js';

/** A price per million tokens, used to compute a task's cost. */
export interface ProfilePrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

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
}
