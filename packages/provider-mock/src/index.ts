export type { MockCallStats } from './call-counter.js';
export { createMockProvider, type MockProvider } from './create-mock-provider.js';
export { type DefaultReplyInput, defaultMockReply } from './default-reply.js';
export { estimateTokens, estimateUsage } from './estimate-tokens.js';
export { type JsonReplyInput, jsonMockReply } from './json-reply.js';
export type {
  MockFailure,
  MockProviderOptions,
  MockScriptedAnswer,
  MockToolCall,
} from './mock-provider-options.js';
export { type JsonSchema, sampleJson } from './sample-json.js';
