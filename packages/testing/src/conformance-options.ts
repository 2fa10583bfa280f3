import type { Provider, ProviderUsage } from '@multi-context/provider';
import type { ConformanceWire } from './conformance-wire.js';
import type { TestServer } from './test-server.js';

/** An HTTP error answer, written in the provider's own wire format. */
export interface ConformanceErrorAnswer {
  /** The JSON body, in the API's error shape. */
  body: unknown;
  /** Headers sent with it, such as `retry-after` or the API's response headers. */
  headers?: Record<string, string>;
}

/** The expectations of the streamed-answer scenario of `describeProviderConformance`. */
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

/**
 * Matches for the messages of the provider's failures, which each provider
 * words its own way. The suite checks what a failure does (retryable or not,
 * its status, the events before it) whatever the wording.
 */
export interface ConformanceMessages {
  /** The stream of `wire.partialAnswer` ended cleanly, without the end of the answer. */
  endedEarly: RegExp;
  /** The frame of `wire.malformedChunk` whose JSON is cut off. */
  malformedChunk: RegExp;
  /** The error of `wire.errorInStream`. */
  errorInStream: RegExp;
  /** The server cut the connection midway through the stream. Default `/connection failed/`. */
  connectionCut?: RegExp;
  /** The connection was refused before any answer. Default `/could not reach the server/`. */
  unreachable?: RegExp;
}

/** What differs per provider in `describeProviderConformance`. */
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
  /** How the provider words its stream and connection failures. */
  messages: ConformanceMessages;
  /**
   * For a provider that finds its key in an environment variable: the suite
   * then checks that it fails at creation without a key and reads the one the
   * variable holds. Leave it out for a provider that is handed no key (the AI
   * SDK's, whose model holds it).
   */
  apiKeyEnv?: ConformanceApiKeyEnv;
}

/** The environment-key scenarios of `describeProviderConformance`. */
export interface ConformanceApiKeyEnv {
  /** The variable the suite sets and deletes: no other test may rely on it. */
  name: string;
  /**
   * Makes the provider for `server` with only these key options, so the
   * variable decides. An empty `apiKey` must count as none: the provider
   * must then throw an error that says `no API key`.
   */
  createProvider: (server: TestServer, keys: { apiKey?: string; apiKeyEnv: string }) => Provider;
  /** Text the "no key" error must contain beyond the variable's name, such as the opt-out. */
  missingKeyHints?: readonly string[];
}
