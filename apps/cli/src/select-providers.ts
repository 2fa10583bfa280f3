import type { ProfileConfig } from '@multi-context/core';
import type { Provider } from '@multi-context/provider';
import { createMockProvider } from '@multi-context/provider-mock';

/** What `run` was told about providers on its command line. */
export interface ProviderSelectionOptions {
  /** Milliseconds between the offline provider's streamed pieces. */
  mockDelayMs: number;
  /** Contexts whose calls the offline provider always fails. */
  mockFail: readonly string[];
}

/** The providers a run uses, in the shape `MultiContextOrchestrator` takes them. */
export interface ProviderSelection {
  providers: Record<string, Provider>;
  profiles: Record<string, ProfileConfig>;
  defaultProvider: string;
  /** One line for stderr that says where the answers come from, when the user should know. */
  notice: string | undefined;
}

/** The name the offline provider is registered under. */
export const MOCK_PROVIDER_NAME = 'mock';

/**
 * Picks the providers of a run. No real provider can be configured yet, so
 * every profile is answered by the offline mock provider, and the notice says
 * so. This is the one module to replace when provider profiles arrive: the
 * rest of `run` only consumes a {@link ProviderSelection}.
 */
export function selectProviders(options: ProviderSelectionOptions): ProviderSelection {
  const mock = createMockProvider({
    chunkDelayMs: options.mockDelayMs,
    failContexts: options.mockFail,
  });
  return {
    providers: { [MOCK_PROVIDER_NAME]: mock },
    profiles: {},
    defaultProvider: MOCK_PROVIDER_NAME,
    notice: 'no provider configured, so the offline mock provider answers.',
  };
}
