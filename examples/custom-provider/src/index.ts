import type { ProviderFactory } from '@multi-context/provider';
import { createOllamaChatProvider } from './ollama-chat-provider.js';

export {
  createOllamaChatProvider,
  type OllamaChatProviderOptions,
} from './ollama-chat-provider.js';
export { toOllamaOptions } from './ollama-params.js';

/**
 * The factory a profiles file's `use:` loads: the CLI calls it with the
 * provider's settings (`id`, `baseURL`, `apiKeyEnv`, `headers`,
 * `defaultModel`, and its `options:`) and checks that it returns a provider.
 */
export const createProvider: ProviderFactory = (options) => createOllamaChatProvider(options);

export default createProvider;
