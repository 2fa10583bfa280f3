export { ANTHROPIC_MESSAGE_PARAMS } from './anthropic-params.js';
export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.js';
