import { expect, it } from 'vitest';
import type { ConformanceScope } from './conformance-scope.js';
import { PARTIAL_TEXT, streamHead } from './conformance-wire.js';
import { collectEvents, textDeltas } from './provider-events.js';
import { sleep, startEventStream, streamFrames, writeFrames } from './test-server.js';

/**
 * Registers the scenarios of a stream that starts and then breaks: cut by
 * the server, ended early, malformed, or carrying an error.
 */
export function brokenStreamScenarios(scope: ConformanceScope): void {
  const { options, serve, makeRequest, expectError } = scope;
  const { createProvider, wire } = options;
  const headers = streamHead(wire);

  it('fails with a retryable error when the server cuts the stream midway', async () => {
    const server = await serve(async (request, response) => {
      startEventStream(response, headers);
      await writeFrames(response, wire.partialAnswer, 5);
      await sleep(20);
      request.socket.destroy();
    });
    const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.status).toBeUndefined();
    expect(providerError.message).toMatch(options.messages.connectionCut ?? /connection failed/);
    expect(textDeltas(events)).toEqual(PARTIAL_TEXT);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('fails with a retryable error when the stream ends cleanly but early', async () => {
    const server = await serve(streamFrames(wire.partialAnswer, { headers }));
    const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(options.messages.endedEarly);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('fails clearly on a malformed chunk', async () => {
    const server = await serve(streamFrames(wire.malformedChunk, { headers }));
    const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(options.messages.malformedChunk);
    expect(textDeltas(events)).toEqual(['Hello']);
  });

  it('maps an error sent inside the stream', async () => {
    const server = await serve(streamFrames(wire.errorInStream, { headers }));
    const { error } = await collectEvents(createProvider(server).stream(makeRequest()));
    const providerError = expectError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(options.messages.errorInStream);
  });
}
