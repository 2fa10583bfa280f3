import { ProviderAbortError, type ProviderEvent } from '@multi-context/provider';
import { expect, it } from 'vitest';
import type { ConformanceScope } from './conformance-scope.js';
import { PARTIAL_TEXT, streamHead } from './conformance-wire.js';
import { collectEvents, textDeltas } from './provider-events.js';
import { sleep, startEventStream, within, writeFrames } from './test-server.js';

/**
 * Registers the scenarios of a call stopped by its caller, by the signal or
 * by an unsubscribe, before or during the stream: each must end the call and
 * close its connection, so the server stops generating.
 */
export function abortScenarios({ options, serve, makeRequest }: ConformanceScope): void {
  const { createProvider, wire } = options;
  const headers = streamHead(wire);

  it('aborts a call the server never answers and closes the connection', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const outcome = collectEvents(
      createProvider(server).stream(makeRequest({ signal: controller.signal })),
    );
    const received = await within(server.firstRequest, 2000, 'the request');
    await sleep(30);
    controller.abort(new Error('attempt timed out'));
    const { events, error } = await within(outcome, 2000, 'the stream to end');
    expect(ProviderAbortError.isInstance(error)).toBe(true);
    expect(events).toEqual([]);
    await within(received.connectionClosed, 2000, 'the server to see the connection close');
  });

  it('ends with an abort error, not a short success, when the signal aborts midway', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response, headers);
      await writeFrames(response, wire.partialAnswer);
    });
    const controller = new AbortController();
    const events: ProviderEvent[] = [];
    const outcome = new Promise<unknown>((resolve) => {
      createProvider(server)
        .stream(makeRequest({ signal: controller.signal }))
        .subscribe({
          next: (event) => {
            events.push(event);
            // Counting deltas, not events: some wires report usage before the first piece.
            if (textDeltas(events).length === PARTIAL_TEXT.length) controller.abort();
          },
          error: resolve,
          complete: () => resolve('completed'),
        });
    });
    const error = await within(outcome, 2000, 'the stream to end');
    expect(ProviderAbortError.isInstance(error)).toBe(true);
    expect(textDeltas(events)).toEqual(PARTIAL_TEXT);
    await within(
      server.requests[0]!.connectionClosed,
      2000,
      'the server to see the connection close',
    );
  });

  it('closes the connection when unsubscribed midway', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response, headers);
      await writeFrames(response, wire.partialAnswer);
      // Then stalls, as a slow model would.
    });
    const events: ProviderEvent[] = [];
    const subscription = createProvider(server)
      .stream(makeRequest())
      .subscribe({ next: (event) => events.push(event) });
    const received = await within(server.firstRequest, 2000, 'the request');
    await within(
      (async () => {
        while (textDeltas(events).length < PARTIAL_TEXT.length) await sleep(5);
      })(),
      2000,
      'the first deltas',
    );
    subscription.unsubscribe();
    await within(received.connectionClosed, 2000, 'the server to see the connection close');
    expect(textDeltas(events)).toEqual(PARTIAL_TEXT);
  });
}
