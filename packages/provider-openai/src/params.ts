// The `@multi-context/provider-openai/params` entry: the params check alone,
// without the SDK, so that a checker loads nothing it does not need.
export {
  checkOpenAIParams,
  OPENAI_CHAT_PARAMS,
  type OpenAIParamsCheck,
} from './check-openai-params.js';
