export type { MockCallStats } from './call-counter.js';
export { createMockProvider, type MockProvider } from './create-mock-provider.js';
export { type DefaultReplyInput, defaultMockReply } from './default-reply.js';
export { estimateTokens, estimateUsage } from './estimate-tokens.js';
export type { MockFailure, MockProviderOptions } from './mock-provider-options.js';
