export { AI_SDK_CALL_PARAMS, type AISDKCallParams } from './ai-sdk-params.js';
export {
  type AISDKModelSource,
  type AISDKProviderOptions,
  createAISDKProvider,
} from './ai-sdk-provider.js';
