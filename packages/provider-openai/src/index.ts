export {
  checkOpenAIParams,
  OPENAI_CHAT_PARAMS,
  type OpenAIParamsCheck,
} from './check-openai-params.js';
export { toOpenAIParams } from './openai-params.js';
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
