import type { Provider } from './provider.js';

/**
 * What a host that loads providers by name (the `multi-context` CLI, from a
 * profiles file's `use:`) passes to a provider factory. Everything under the
 * provider's `options:` is spread in as it is, next to these fields.
 */
export interface ProviderFactoryOptions {
  /** The provider's name in the profiles file; use it as the provider `id`, so errors say which one failed. */
  id: string;
  /** `base_url`: the server's base URL. */
  baseURL?: string;
  /** `api_key_env`: the name of the environment variable that holds the API key (never the key). */
  apiKeyEnv?: string;
  /** `organization`, for APIs that have one. */
  organization?: string;
  /** `headers`: HTTP headers to send with every request. */
  headers?: Record<string, string>;
  /** `default_model`: the model of profiles that name none. */
  defaultModel?: string;
  /** The provider's `options:`, as written. */
  [option: string]: unknown;
}

/**
 * The function a provider plugin exports (as its default export, or as
 * `createProvider`): it makes a {@link Provider} from the options its host
 * read from a profiles file. It may be async, and should throw a
 * `ProviderError` with a clear message when the options cannot work (no API
 * key, a bad URL): the host reports it before any call is made.
 *
 * @example
 * export default function createProvider(options: ProviderFactoryOptions): Provider {
 *   return defineProvider({ id: options.id, complete: async ({ prompt }) => prompt.toUpperCase() });
 * }
 */
export type ProviderFactory = (options: ProviderFactoryOptions) => Provider | Promise<Provider>;
