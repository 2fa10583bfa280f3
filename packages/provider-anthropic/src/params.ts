// The `@multi-context/provider-anthropic/params` entry: the params check alone,
// without the SDK, so that a checker loads nothing it does not need.
export {
  ANTHROPIC_MESSAGE_PARAMS,
  type AnthropicParams,
  type AnthropicParamsCheck,
  checkAnthropicParams,
} from './check-anthropic-params.js';
