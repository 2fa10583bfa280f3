export { OPENAI_CHAT_PARAMS, toOpenAIParams } from './openai-params.js';
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
