import { describe } from 'vitest';
import { abortScenarios } from './abort-scenarios.js';
import { answerScenario } from './answer-scenario.js';
import { apiKeyScenarios } from './api-key-scenarios.js';
import { brokenStreamScenarios } from './broken-stream-scenarios.js';
import type { ProviderConformanceOptions } from './conformance-options.js';
import { conformanceScope } from './conformance-scope.js';
import { errorAnswerScenarios } from './error-answer-scenarios.js';

/**
 * Registers, with vitest's `describe` and `it`, the scenarios every streaming
 * HTTP provider must handle alike, each against a local server that speaks the
 * provider's real wire format: a streamed answer with its usage; HTTP errors
 * mapped onto retryable or final `ProviderError`s with the key redacted; a
 * refused connection; a stream that is cut, ends early, is malformed or
 * carries an error; aborts and unsubscribes that close the connection; and,
 * when the provider reads its key from the environment, the key scenarios.
 * What only one API has (its parameters, its defaults, its own headers) stays
 * in the provider's test file. Call it inside a test file that vitest runs.
 *
 * The options, each described on {@link ProviderConformanceOptions}:
 * - `providerId`, `apiKey`, `model`, `createProvider`: who is tested, with which
 *   key (no error may show it), which model every request names, and how the
 *   provider is made for a server.
 * - `wire`: the frames of the answer and of its breaks, in the API's wire
 *   format (`openAIConformanceWire()`, `anthropicConformanceWire()`, or your
 *   own `ConformanceWire`; set its `contentType` when the API does not stream
 *   server-sent events).
 * - `answer`: what the provider must emit for `wire.answer` and the request
 *   (path, headers, JSON body) the server must have received.
 * - `rateLimited`, `serverErrors`, `badRequest`, `unauthorized`: the error
 *   answers of the API for 429, 5xx, 400 and 401 (bodies in its error shape),
 *   with what the provider's error must say of them.
 * - `messages`: how the provider words a stream that ends early, a malformed
 *   chunk and an error sent inside the stream (and, when it words them
 *   otherwise than the official providers, a cut or refused connection).
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
  describe('provider conformance', () => {
    const scope = conformanceScope(options);
    answerScenario(scope);
    errorAnswerScenarios(scope);
    brokenStreamScenarios(scope);
    abortScenarios(scope);
    // Only a provider that finds its key in the environment has these scenarios.
    if (options.apiKeyEnv !== undefined) apiKeyScenarios(scope, options.apiKeyEnv);
  });
}
