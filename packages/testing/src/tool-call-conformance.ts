import { describe } from 'vitest';
import { streamedToolCallScenarios } from './streamed-tool-call-scenarios.js';
import type { ToolCallConformanceOptions } from './tool-call-options.js';
import { toolCallScope } from './tool-call-scope.js';
import { toolLoopScenarios } from './tool-loop-scenarios.js';

/**
 * Registers, with vitest's `describe` and `it`, the tool-call scenarios every
 * provider of specification `v2` must handle alike, against a chat server
 * that speaks its wire (see `startChatServer`):
 * - parallel calls whose arguments stream in pieces become `tool-input-delta`
 *   events as they come, then one `tool-call` each with its input parsed
 *   (`{}` for none) before `finish` (`finishReason: 'tool-calls'`, with
 *   `usage`), in one request;
 * - arguments that are not JSON are passed on as their text;
 * - through the real `MultiContextOrchestrator`, a two-step loop whose tool
 *   throws sends the calls and their results (the error as the wire carries
 *   one) back, with the tools; and arguments that are not JSON are answered
 *   with the host's validation error, after which the model calls again.
 *
 * What the wire carries is checked as the chat server reads it
 * (`ChatCall.toolResults`); the exact request bodies are the provider's
 * (`expectRequests` of each loop), as are its other tests of its API. Call it
 * inside a test file that vitest runs.
 *
 * @example
 * import { MultiContextOrchestrator } from '@multi-context/core';
 * import { defineWorkflow } from '@multi-context/workflow';
 *
 * describeToolCallConformance({
 *   wire: 'openai',
 *   model: 'gpt-4o-mini',
 *   createProvider: (server) => createOpenAIProvider({ apiKey: KEY, baseURL: server.baseURL }),
 *   usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, cacheReadTokens: 0 },
 *   orchestrator: { MultiContextOrchestrator, defineWorkflow },
 *   toolLoop: {
 *     toolResults: [
 *       { toolCallId: 'call_1', content: '5' },
 *       { toolCallId: 'call_2', content: 'Error: division by zero' },
 *     ],
 *     expectRequests: ([, second]) => expect(second!.body.messages).toEqual([...]),
 *   },
 *   invalidArgumentsLoop: {
 *     toolResult: { toolCallId: 'call_1', content: /^Error: Invalid arguments for the tool "add"/ },
 *   },
 * });
 */
export function describeToolCallConformance<W>(options: ToolCallConformanceOptions<W>): void {
  describe('tool-call conformance', () => {
    const scope = toolCallScope(options);
    streamedToolCallScenarios(scope);
    toolLoopScenarios(scope);
  });
}
