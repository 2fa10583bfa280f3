import type { ProviderError, ProviderRequest } from '@multi-context/provider';
import type { ProviderConformanceOptions } from './conformance-options.js';
import { expectProviderError } from './expect-provider-error.js';
import { chatRequest } from './provider-events.js';
import type { TestHandler, TestServer } from './test-server.js';
import { useTestServers } from './use-test-servers.js';

/** What every group of scenarios of the conformance suite works with. */
export interface ConformanceScope {
  options: ProviderConformanceOptions;
  /** Starts a server that closes after the test that started it. */
  serve: (handler: TestHandler) => Promise<TestServer>;
  /** A request for `options.model`, with `overrides`. */
  makeRequest: (overrides?: Partial<ProviderRequest>) => ProviderRequest;
  /** Asserts a `ProviderError` that never shows `options.apiKey`, and returns it. */
  expectError: (error: unknown) => ProviderError;
}

/**
 * The scope of one run of the suite. Call it inside a `describe`: its
 * `serve` registers an `afterEach` there.
 */
export function conformanceScope(options: ProviderConformanceOptions): ConformanceScope {
  return {
    options,
    serve: useTestServers(),
    makeRequest: (overrides = {}) => chatRequest({ model: options.model, ...overrides }),
    expectError: (error) => expectProviderError(error, options.apiKey),
  };
}
