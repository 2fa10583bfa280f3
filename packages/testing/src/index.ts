export {
  type AnthropicCacheBill,
  AnthropicPromptCache,
  type AnthropicPromptCacheOptions,
} from './anthropic-prompt-cache.js';
export {
  type AnthropicTurn,
  anthropicMessageBody,
  anthropicToolUseFrames,
} from './anthropic-tool-wire.js';
export {
  ANTHROPIC_RESPONSE_HEADERS,
  type AnthropicWireOptions,
  anthropicAnswerFrames,
  anthropicConformanceWire,
  anthropicErrorBody,
  anthropicEvent,
  anthropicInputUsage,
  anthropicMessageStart,
  anthropicTextDelta,
} from './anthropic-wire.js';
export { approximateTokens } from './approximate-tokens.js';
export type { ChatToolResult } from './chat-call.js';
export {
  type ChatCall,
  type ChatReply,
  type ChatServer,
  type ChatServerOptions,
  type ChatWire,
  startChatServer,
} from './chat-server.js';
export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export type {
  ConformanceAnswer,
  ConformanceApiKeyEnv,
  ConformanceErrorAnswer,
  ConformanceMessages,
  ProviderConformanceOptions,
} from './conformance-options.js';
export { ADD_TOOL, type ScenarioTool, TWO_NUMBERS_SCHEMA } from './conformance-tools.js';
export type { ConformanceWire } from './conformance-wire.js';
export { expectProviderError } from './expect-provider-error.js';
export { type OpenAICacheBill, OpenAIPromptCache } from './openai-prompt-cache.js';
export { type OpenAIToolLoopRequest, openAIToolLoopRequest } from './openai-tool-loop.js';
export {
  type OpenAITurn,
  openAIChatCompletionBody,
  openAIToolCallFrames,
} from './openai-tool-wire.js';
export {
  OPENAI_DONE_FRAME,
  OPENAI_RESPONSE_HEADERS,
  type OpenAIWireOptions,
  openAIAnswerFrames,
  openAIConformanceWire,
  openAIDeltaFrame,
  openAIErrorBody,
  openAIStreamRequestBody,
  openAIUsage,
  openAIUsageFrame,
  type WireUsage,
} from './openai-wire.js';
export { describeProviderConformance } from './provider-conformance.js';
export {
  chatRequest,
  collectEvents,
  type ProviderOutcome,
  textDeltas,
} from './provider-events.js';
export {
  freePort,
  REDIS_NOT_INSTALLED,
  startRedisServer,
  type TestRedis,
  type TestRedisOptions,
} from './redis-server.js';
export { sseFrame } from './sse.js';
export {
  type ReceivedRequest,
  sendJson,
  sleep,
  startEventStream,
  startTestServer,
  streamFrames,
  type TestHandler,
  type TestServer,
  within,
  writeFrames,
} from './test-server.js';
export { describeToolCallConformance } from './tool-call-conformance.js';
export type {
  InvalidArgumentsLoopExpectation,
  ToolCallConformanceOptions,
  ToolLoopExpectation,
  ToolLoopKit,
  ToolLoopOrchestratorOptions,
  ToolLoopRunResult,
  ToolLoopWorkflowInput,
} from './tool-call-options.js';
export { useChatServers } from './use-chat-servers.js';
export { useTestServers } from './use-test-servers.js';
export type { WireToolCall } from './wire-tool-call.js';
