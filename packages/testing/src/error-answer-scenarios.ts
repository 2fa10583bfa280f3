import { expect, it } from 'vitest';
import type { ConformanceScope } from './conformance-scope.js';
import { collectEvents } from './provider-events.js';
import { sendJson, startTestServer } from './test-server.js';

/**
 * Registers the scenarios of a call that gets no stream: the HTTP error
 * answers of the API (429, 5xx, 400, 401) and a refused connection.
 */
export function errorAnswerScenarios(scope: ConformanceScope): void {
  const { options, serve, makeRequest, expectError } = scope;
  const { createProvider } = options;

  it('maps 429 with retry-after onto a retryable error with retryAfterMs', async () => {
    const { body, headers, retryAfterMs, message } = options.rateLimited;
    const server = await serve((_request, response) => sendJson(response, 429, body, headers));
    const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(events).toEqual([]);
    expect(providerError.status).toBe(429);
    expect(providerError.retryable).toBe(true);
    expect(providerError.retryAfterMs).toBe(retryAfterMs);
    expect(providerError.providerId).toBe(options.providerId);
    expect(providerError.message).toMatch(message);
  });

  const statuses = options.serverErrors.map(({ status }) => status);
  it(
    statuses.length === 1
      ? `maps ${statuses[0]} onto a retryable error`
      : `maps ${statuses.join(' and ')} onto retryable errors`,
    async () => {
      for (const { status, body, headers } of options.serverErrors) {
        const server = await serve((_request, response) =>
          sendJson(response, status, body, headers),
        );
        const { error } = await collectEvents(createProvider(server).stream(makeRequest()));
        const providerError = expectError(error);
        expect(providerError.status).toBe(status);
        expect(providerError.retryable).toBe(true);
        // No retry-after was sent: the retry policy, not the server, picks the delay.
        expect(providerError.retryAfterMs).toBeUndefined();
      }
    },
  );

  it('maps 400 onto an error that is not retryable', async () => {
    const { body, headers, params, message } = options.badRequest;
    const server = await serve((_request, response) => sendJson(response, 400, body, headers));
    const { error } = await collectEvents(createProvider(server).stream(makeRequest({ params })));
    const providerError = expectError(error);
    expect(providerError.status).toBe(400);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain(message);
  });

  it('maps 401 onto an error that is not retryable and never shows the key, even when echoed', async () => {
    const { body, headers, message } = options.unauthorized;
    const server = await serve((_request, response) => sendJson(response, 401, body, headers));
    const { error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.status).toBe(401);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain(message);
    // The body echoed the key, so the error that holds it must not ride along as the cause.
    expect(providerError.cause).toBeUndefined();
  });

  it('maps a refused connection onto a retryable error', async () => {
    // Not served with `serve`: this test closes the server itself, before the call.
    const server = await startTestServer(() => {});
    const provider = createProvider(server);
    await server.close();
    const { error } = await collectEvents(provider.stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.status).toBeUndefined();
    expect(providerError.message).toMatch(
      options.messages.unreachable ?? /could not reach the server/,
    );
  });
}
