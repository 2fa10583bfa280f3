export {
  ANTHROPIC_MESSAGE_PARAMS,
  type AnthropicParams,
  toAnthropicParams,
} from './anthropic-params.js';
export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.js';
