import type { Provider, ProviderFactoryOptions } from '@multi-context/provider';
import type { MockProviderOptions } from '@multi-context/provider-mock';

/**
 * What the offline provider is told by the host, under what each `use: mock`
 * entry's `options:` say (the CLI's `--mock-delay` and `--mock-fail`).
 */
export interface MockProviderSettings {
  /** Milliseconds between two streamed pieces. Default: the mock's own, 0. */
  chunkDelayMs?: number;
  /** Calls in these contexts fail. Default: none. */
  failContexts?: readonly string[];
}

/** A provider the registry makes by name, from `use: <name>`. */
export interface BuiltinProvider {
  /** Whether every call needs a model: the profile's `model` or the provider's `default_model`. */
  needsModel: boolean;
  /** The variable the API key is read from when `api_key_env` is not given. */
  defaultApiKeyEnv?: string;
  /** Whether the call needs an API key with these options (`requireApiKey: false` says no). */
  needsApiKey(options: ProviderFactoryOptions): boolean;
  /**
   * Loads the provider's package, which {@link create} needs: a host starts
   * without the providers' SDKs (about a fifth of a second of a CLI start)
   * and loads only those a run uses.
   */
  load(): Promise<void>;
  /**
   * Why this provider would refuse these params at call time; undefined when
   * it takes them. It loads only the package's light `/params` entry, never
   * the SDK, so a check (`validate`) stays light.
   */
  checkParams(params: Record<string, unknown>, id: string): Promise<string | undefined>;
  /** Makes the provider; {@link load} first. */
  create(options: ProviderFactoryOptions, mock: MockProviderSettings): Provider;
}

/** A package imported on first `load()`, and used synchronously after it. */
function lazyPackage<M>(name: string, load: () => Promise<M>): { load(): Promise<void>; get(): M } {
  let loaded: M | undefined;
  return {
    async load() {
      loaded ??= await load();
    },
    get() {
      if (loaded === undefined) throw new Error(`internal error: ${name} was used before load()`);
      return loaded;
    },
  };
}

const openai = lazyPackage(
  '@multi-context/provider-openai',
  () => import('@multi-context/provider-openai'),
);
const anthropic = lazyPackage(
  '@multi-context/provider-anthropic',
  () => import('@multi-context/provider-anthropic'),
);
const mockPackage = lazyPackage(
  '@multi-context/provider-mock',
  () => import('@multi-context/provider-mock'),
);

/** What a profile's params would get when they set no `max_tokens`, as the Anthropic provider defaults it. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** The built-in providers by the name `use:` gives them. */
export const BUILTIN_PROVIDERS: Readonly<Record<string, BuiltinProvider>> = Object.freeze({
  openai: {
    needsModel: true,
    defaultApiKeyEnv: 'OPENAI_API_KEY',
    needsApiKey: (options) => options.requireApiKey !== false,
    load: openai.load,
    checkParams: async (params, id) => {
      const { checkOpenAIParams } = await import('@multi-context/provider-openai/params');
      const checked = checkOpenAIParams(params, id);
      return checked.ok ? undefined : checked.message;
    },
    create: (options) => openai.get().createOpenAIProvider(options),
  },
  anthropic: {
    needsModel: true,
    defaultApiKeyEnv: 'ANTHROPIC_API_KEY',
    needsApiKey: () => true,
    load: anthropic.load,
    checkParams: async (params, id) => {
      const { checkAnthropicParams } = await import('@multi-context/provider-anthropic/params');
      const checked = checkAnthropicParams(params, ANTHROPIC_DEFAULT_MAX_TOKENS, id);
      return checked.ok ? undefined : checked.message;
    },
    create: (options) => anthropic.get().createAnthropicProvider(options),
  },
  mock: {
    needsModel: false,
    needsApiKey: () => false,
    load: mockPackage.load,
    // The offline provider reads no params: any may be written, for a profile shared with a real provider.
    checkParams: async () => undefined,
    create: (options, mock) =>
      mockPackage.get().createMockProvider({
        ...(mock.chunkDelayMs !== undefined && { chunkDelayMs: mock.chunkDelayMs }),
        ...(mock.failContexts !== undefined && { failContexts: mock.failContexts }),
        ...(options as MockProviderOptions),
        id: options.id,
      }),
  },
});

/** Names `use:` may give that are not providers a file can make, with what to do instead. */
export const CODE_ONLY_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  'ai-sdk':
    'the AI SDK provider wraps a model object, so it is made in code (createAISDKProvider from @multi-context/provider-ai-sdk); ' +
    'to use it here, write a module that exports a factory returning it, and name that module in use:',
});

/** The model used by the provider picked from the environment when `MULTI_CONTEXT_MODEL` is not set. */
export const DEFAULT_MODELS = Object.freeze({
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-5-5',
});
