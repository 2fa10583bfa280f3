export { toAnthropicParams } from './anthropic-params.js';
export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.js';
export {
  ANTHROPIC_MESSAGE_PARAMS,
  type AnthropicParams,
  type AnthropicParamsCheck,
  checkAnthropicParams,
} from './check-anthropic-params.js';
