export {
  ANTHROPIC_RESPONSE_HEADERS,
  type AnthropicWireOptions,
  anthropicAnswerFrames,
  anthropicErrorBody,
  anthropicEvent,
  anthropicMessageStart,
  anthropicTextDelta,
} from './anthropic-wire.js';
export {
  type ChatCall,
  type ChatReply,
  type ChatServer,
  type ChatServerOptions,
  type ChatWire,
  startChatServer,
} from './chat-server.js';
export {
  OPENAI_DONE_FRAME,
  OPENAI_RESPONSE_HEADERS,
  type OpenAIWireOptions,
  openAIAnswerFrames,
  openAIDeltaFrame,
  openAIErrorBody,
  openAIUsageFrame,
  type WireUsage,
} from './openai-wire.js';
export {
  chatRequest,
  collectEvents,
  type ProviderOutcome,
  textDeltas,
} from './provider-events.js';
export { sseFrame } from './sse.js';
export {
  type ReceivedRequest,
  sendJson,
  sleep,
  startEventStream,
  startTestServer,
  type TestHandler,
  type TestServer,
  within,
  writeFrames,
} from './test-server.js';
