import { lastValueFrom, toArray } from 'rxjs';
import { expect, it } from 'vitest';
import type { ConformanceScope } from './conformance-scope.js';
import { ANSWER_TEXT, streamHead } from './conformance-wire.js';
import { textDeltas } from './provider-events.js';
import { type ReceivedRequest, streamFrames } from './test-server.js';

/** Registers the scenario of a whole streamed answer and the request behind it. */
export function answerScenario({ options, serve, makeRequest }: ConformanceScope): void {
  it('streams an answer with usage and sends the request the API expects', async () => {
    const { answer, wire } = options;
    // Spaced out, so the provider meets the frames in separate reads, as from a real API.
    const headers = { ...streamHead(wire), ...wire.headers };
    const server = await serve(streamFrames(wire.answer, { headers, delayMs: 2 }));
    const provider = (answer.createProvider ?? options.createProvider)(server);
    const events = await lastValueFrom(
      provider.stream(makeRequest({ params: answer.params ?? {} })).pipe(toArray()),
    );

    expect(provider.id).toBe(options.providerId);
    expect(textDeltas(events)).toEqual(ANSWER_TEXT);
    expect(textDeltas(events).join('')).toBe('Hello, world!');
    if (answer.startUsage !== undefined) {
      expect(events[0]).toEqual({ type: 'usage', usage: answer.startUsage });
    }
    const { usage, finishReason } = answer;
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage },
      { type: 'finish', finishReason, usage },
    ]);

    const [received] = server.requests as [ReceivedRequest];
    expect(received.method).toBe('POST');
    expect(received.path).toBe(answer.requestPath);
    expect(received.headers.authorization).toBe(`Bearer ${options.apiKey}`);
    for (const [name, expected] of Object.entries(answer.requestHeaders ?? {})) {
      if (typeof expected === 'string') expect(received.headers[name]).toBe(expected);
      else expect(received.headers[name]).toMatch(expected);
    }
    expect(received.body).toEqual(answer.requestBody);
  });
}
