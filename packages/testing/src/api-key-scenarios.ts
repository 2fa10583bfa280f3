import { afterEach, describe, expect, it } from 'vitest';
import type { ConformanceApiKeyEnv } from './conformance-options.js';
import type { ConformanceScope } from './conformance-scope.js';
import { streamHead } from './conformance-wire.js';
import { collectEvents } from './provider-events.js';
import { streamFrames } from './test-server.js';

/**
 * Registers the scenarios of a provider that finds its key in the
 * environment variable `apiKeyEnv.name`: none found fails at creation, the
 * one found is sent.
 */
export function apiKeyScenarios(scope: ConformanceScope, apiKeyEnv: ConformanceApiKeyEnv): void {
  const { options, serve, makeRequest, expectError } = scope;
  const { name } = apiKeyEnv;

  describe('API keys', () => {
    afterEach(() => {
      delete process.env[name];
    });

    it('fails at creation when no key is given or found', async () => {
      // Never called: the provider must fail before it sends anything.
      const server = await serve(() => {});
      let thrown: unknown;
      try {
        apiKeyEnv.createProvider(server, { apiKeyEnv: name });
      } catch (error) {
        thrown = error;
      }
      const providerError = expectError(thrown);
      expect(providerError.retryable).toBe(false);
      expect(providerError.message).toContain(name);
      for (const hint of apiKeyEnv.missingKeyHints ?? []) {
        expect(providerError.message).toContain(hint);
      }
      expect(() => apiKeyEnv.createProvider(server, { apiKey: '', apiKeyEnv: name })).toThrow(
        /no API key/,
      );
    });

    it('reads the key from the environment variable named by apiKeyEnv', async () => {
      process.env[name] = options.apiKey;
      const { wire } = options;
      const headers = { ...streamHead(wire), ...wire.headers };
      const server = await serve(streamFrames(wire.answer, { headers }));
      const provider = apiKeyEnv.createProvider(server, { apiKeyEnv: name });
      const { error } = await collectEvents(provider.stream(makeRequest()));
      expect(error).toBeUndefined();
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${options.apiKey}`);
    });
  });
}
