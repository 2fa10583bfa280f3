import {
  type Provider,
  ProviderAbortError,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
} from '@multi-context/provider';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { expectProviderError } from './expect-provider-error.js';
import { chatRequest, collectEvents, textDeltas } from './provider-events.js';
import {
  type ReceivedRequest,
  sendJson,
  sleep,
  startEventStream,
  startTestServer,
  streamFrames,
  type TestServer,
  within,
  writeFrames,
} from './test-server.js';
import { useTestServers } from './use-test-servers.js';

/** An HTTP error answer, written in the provider's own wire format. */
export interface ConformanceErrorAnswer {
  /** The JSON body, in the API's error shape. */
  body: unknown;
  /** Headers sent with it, such as `retry-after` or the API's response headers. */
  headers?: Record<string, string>;
}

/**
 * The frames of an answer and of broken streams, in one wire format. Every
 * piece of text they carry is a piece of the answer `Hello, world!` (`Hello`,
 * `,`, ` world`, `!`), so the suite knows what the provider should emit.
 */
export interface ConformanceWire {
  /** The whole answer with its usage and finish, as the API streams it. */
  answer: readonly string[];
  /** The headers the API sends with a streamed answer. */
  headers: Readonly<Record<string, string>>;
  /** An answer that has streamed exactly the pieces `Hello` and `,`, and nothing that ends it. */
  partialAnswer: readonly string[];
  /** The piece `Hello`, then a frame whose JSON is cut off. */
  malformedChunk: readonly string[];
  /** The piece `Hello`, then an error the server sends inside the stream (one worth a retry). */
  errorInStream: readonly string[];
}

/** The expectations of the streamed-answer scenario of {@link describeProviderConformance}. */
export interface ConformanceAnswer {
  /**
   * Makes the provider for this scenario, when it is given options (such as
   * extra headers) whose effect `requestHeaders` checks. Default `createProvider`.
   */
  createProvider?: (server: TestServer) => Provider;
  /** The profile params of the request; the API must receive them in `requestBody`. */
  params?: Record<string, unknown>;
  /** The usage of the first event, for a wire that reports input tokens as the stream starts. */
  startUsage?: ProviderUsage;
  /** The usage of the last `usage` event and of the `finish` event. */
  usage: ProviderUsage;
  /** The `finishReason` of the `finish` event, as the API words it. */
  finishReason: string;
  /** The path the request is sent to, such as `/v1/chat/completions`. */
  requestPath: string;
  /** Request headers beyond `authorization`: a string must be equal, a RegExp must match. */
  requestHeaders?: Record<string, string | RegExp>;
  /** The whole JSON body the API must receive. */
  requestBody: unknown;
}

/** What differs per provider in {@link describeProviderConformance}. */
export interface ProviderConformanceOptions {
  /** The `providerId` every error of the provider must carry. */
  providerId: string;
  /** The API key `createProvider` gives the provider: no error may show it. */
  apiKey: string;
  /** The `model` of every request the suite sends. */
  model: string;
  /** Makes the provider under test, talking to `server` with `apiKey`. */
  createProvider: (server: TestServer) => Provider;
  /** How a server streams an answer, and breaks one, in the provider's wire format. */
  wire: ConformanceWire;
  /** What the provider must emit for `wire.answer`, and the request it must have sent. */
  answer: ConformanceAnswer;
  /** A 429 with `retry-after`, the `retryAfterMs` it must map to, and a match for the message. */
  rateLimited: ConformanceErrorAnswer & { retryAfterMs: number; message: RegExp };
  /** Each status (500, and any the API adds, such as 529) that must map onto a retryable error. */
  serverErrors: ReadonlyArray<ConformanceErrorAnswer & { status: number }>;
  /** A 400 answering a request with `params`, and text its message must contain. */
  badRequest: ConformanceErrorAnswer & { params: Record<string, unknown>; message: string };
  /** A 401 whose body echoes `apiKey`, and the redacted text its message must contain. */
  unauthorized: ConformanceErrorAnswer & { message: string };
  /**
   * Matches for the messages of the stream failures, which each SDK words its
   * own way: `endedEarly` when the stream of `wire.partialAnswer` ends cleanly,
   * `malformedChunk` and `errorInStream` for those frames of `wire`.
   */
  messages: { endedEarly: RegExp; malformedChunk: RegExp; errorInStream: RegExp };
  /**
   * For a provider that finds its key in an environment variable: the suite
   * then checks that it fails at creation without a key and reads the one the
   * variable holds. Leave it out for a provider that is handed no key (the AI
   * SDK's, whose model holds it).
   */
  apiKeyEnv?: ConformanceApiKeyEnv;
}

/** The environment-key scenarios of {@link describeProviderConformance}. */
export interface ConformanceApiKeyEnv {
  /** The variable the suite sets and deletes: no other test may rely on it. */
  name: string;
  /** Makes the provider for `server` with only these key options, so the variable decides. */
  createProvider: (server: TestServer, keys: { apiKey?: string; apiKeyEnv: string }) => Provider;
  /** Text the "no key" error must contain beyond the variable's name, such as the opt-out. */
  missingKeyHints?: readonly string[];
}

/** The pieces of `wire.answer`. */
const ANSWER_TEXT = ['Hello', ',', ' world', '!'];

/** The pieces `wire.partialAnswer` streams; the last one is where the stream breaks. */
const PARTIAL_TEXT = ANSWER_TEXT.slice(0, 2);

/**
 * Registers, with vitest's `describe` and `it`, the scenarios every streaming
 * HTTP provider must handle alike, each against a local server that speaks the
 * provider's real wire format: a streamed answer with its usage; HTTP errors
 * mapped onto retryable or final `ProviderError`s with the key redacted; a
 * stream that is cut, ends early, is malformed or carries an error; aborts and
 * unsubscribes that close the connection; a refused connection; and, when the
 * provider reads its key from the environment, the key scenarios. What only
 * one API has (its parameters, its defaults, its own headers) stays in the
 * provider's test file.
 *
 * The options, each described on {@link ProviderConformanceOptions}:
 * - `providerId`, `apiKey`, `model`, `createProvider`: who is tested, with which
 *   key (no error may show it), which model every request names, and how the
 *   provider is made for a server.
 * - `wire`: the frames of the answer and of its breaks, in the API's wire
 *   format (`openAIConformanceWire()`, `anthropicConformanceWire()`).
 * - `answer`: what the provider must emit for `wire.answer` and the request
 *   (path, headers, JSON body) the server must have received.
 * - `rateLimited`, `serverErrors`, `badRequest`, `unauthorized`: the error
 *   answers of the API for 429, 5xx, 400 and 401 (bodies in its error shape),
 *   with what the provider's error must say of them.
 * - `messages`: how the provider words a stream that ends early, a malformed
 *   chunk and an error sent inside the stream.
 * - `apiKeyEnv` (optional): the environment variable the provider reads its
 *   key from, and how to make it from key options alone.
 *
 * @example
 * describe('createOpenAIProvider', () => {
 *   describeProviderConformance({
 *     providerId: 'openai',
 *     apiKey: KEY,
 *     model: 'gpt-4o-mini',
 *     createProvider: (server) =>
 *       createOpenAIProvider({ apiKey: KEY, baseURL: `${server.origin}/v1` }),
 *     wire: openAIConformanceWire(),
 *     // ... answer, the error answers of the API, and the messages the provider makes of them
 *   });
 * });
 */
export function describeProviderConformance(options: ProviderConformanceOptions): void {
  const { apiKey, createProvider } = options;
  const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
    chatRequest({ model: options.model, ...overrides });
  const expectError = (error: unknown) => expectProviderError(error, apiKey);

  describe('provider conformance', () => {
    const serve = useTestServers();

    it('streams an answer with usage and sends the request the API expects', async () => {
      const { answer, wire } = options;
      // Spaced out, so the provider meets the frames in separate reads, as from a real API.
      const server = await serve(streamFrames(wire.answer, { headers: wire.headers, delayMs: 2 }));
      const provider = (answer.createProvider ?? createProvider)(server);
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
      expect(received.headers.authorization).toBe(`Bearer ${apiKey}`);
      for (const [name, expected] of Object.entries(answer.requestHeaders ?? {})) {
        if (typeof expected === 'string') expect(received.headers[name]).toBe(expected);
        else expect(received.headers[name]).toMatch(expected);
      }
      expect(received.body).toEqual(answer.requestBody);
    });

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
      // The body echoed the key, so the SDK error that holds it must not ride along as the cause.
      expect(providerError.cause).toBeUndefined();
    });

    it('fails with a retryable error when the server cuts the stream midway', async () => {
      const server = await serve(async (request, response) => {
        startEventStream(response);
        await writeFrames(response, options.wire.partialAnswer, 5);
        await sleep(20);
        request.socket.destroy();
      });
      const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
      const providerError = expectError(error);
      expect(providerError.retryable).toBe(true);
      expect(providerError.status).toBeUndefined();
      expect(providerError.message).toMatch(/connection failed/);
      expect(textDeltas(events)).toEqual(PARTIAL_TEXT);
      expect(events.some((event) => event.type === 'finish')).toBe(false);
    });

    it('fails with a retryable error when the stream ends cleanly but early', async () => {
      const server = await serve(streamFrames(options.wire.partialAnswer));
      const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
      const providerError = expectError(error);
      expect(providerError.retryable).toBe(true);
      expect(providerError.message).toMatch(options.messages.endedEarly);
      expect(events.some((event) => event.type === 'finish')).toBe(false);
    });

    it('fails clearly on a malformed chunk', async () => {
      const server = await serve(streamFrames(options.wire.malformedChunk));
      const { events, error } = await collectEvents(createProvider(server).stream(makeRequest()));
      const providerError = expectError(error);
      expect(providerError.retryable).toBe(false);
      expect(providerError.message).toMatch(options.messages.malformedChunk);
      expect(textDeltas(events)).toEqual(['Hello']);
    });

    it('maps an error sent inside the stream', async () => {
      const server = await serve(streamFrames(options.wire.errorInStream));
      const { error } = await collectEvents(createProvider(server).stream(makeRequest()));
      const providerError = expectError(error);
      expect(providerError.retryable).toBe(true);
      expect(providerError.message).toMatch(options.messages.errorInStream);
    });

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
        startEventStream(response);
        await writeFrames(response, options.wire.partialAnswer);
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
        startEventStream(response);
        await writeFrames(response, options.wire.partialAnswer);
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

    it('maps a refused connection onto a retryable error', async () => {
      // Not served with `serve`: this test closes the server itself, before the call.
      const server = await startTestServer(() => {});
      const provider = createProvider(server);
      await server.close();
      const { error } = await collectEvents(provider.stream(makeRequest()));
      const providerError = expectError(error);
      expect(providerError.retryable).toBe(true);
      expect(providerError.status).toBeUndefined();
      expect(providerError.message).toMatch(/could not reach the server/);
    });

    const { apiKeyEnv } = options;
    // Only a provider that finds its key in the environment has these scenarios.
    if (apiKeyEnv !== undefined) {
      describe('API keys', () => {
        const { name } = apiKeyEnv;
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
          process.env[name] = apiKey;
          const { wire } = options;
          const server = await serve(streamFrames(wire.answer, { headers: wire.headers }));
          const provider = apiKeyEnv.createProvider(server, { apiKeyEnv: name });
          const { error } = await collectEvents(provider.stream(makeRequest()));
          expect(error).toBeUndefined();
          expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
        });
      });
    }
  });
}
