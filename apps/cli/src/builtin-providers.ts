import type { Provider, ProviderFactoryOptions } from '@multi-context/provider';
import type { MockProviderOptions } from '@multi-context/provider-mock';

/** What the offline provider is told on the command line (`--mock-delay`, `--mock-fail`). */
export interface MockSettings {
  mockDelayMs: number;
  mockFail: readonly string[];
}

/** A provider the CLI can make by name, from `use: <name>`. */
export interface BuiltinProvider {
  /** Whether every call needs a model: the profile's `model` or the provider's `default_model`. */
  needsModel: boolean;
  /** The variable the API key is read from when `api_key_env` is not given. */
  defaultApiKeyEnv?: string;
  /** Whether the call needs an API key with these options (`requireApiKey: false` says no). */
  needsApiKey(options: ProviderFactoryOptions): boolean;
  /**
   * Loads the provider's package, which {@link create} needs: the CLI starts
   * without the providers' SDKs (about a fifth of a second of every start)
   * and loads only those a run uses.
   */
  load(): Promise<void>;
  /**
   * Rejects (with a ProviderError) params this provider would refuse at call
   * time. It loads the provider's package first when the check needs it, so
   * it is called only for a profile that sets params.
   */
  checkParams(params: Record<string, unknown>, id: string): Promise<void>;
  /** Makes the provider; {@link load} first. */
  create(options: ProviderFactoryOptions, mock: MockSettings): Provider;
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

/** The built-in providers by the name `use:` gives them. */
export const BUILTIN_PROVIDERS: Readonly<Record<string, BuiltinProvider>> = Object.freeze({
  openai: {
    needsModel: true,
    defaultApiKeyEnv: 'OPENAI_API_KEY',
    needsApiKey: (options) => options.requireApiKey !== false,
    load: openai.load,
    checkParams: async (params, id) => {
      await openai.load();
      openai.get().toOpenAIParams(params, id);
    },
    create: (options) => openai.get().createOpenAIProvider(options),
  },
  anthropic: {
    needsModel: true,
    defaultApiKeyEnv: 'ANTHROPIC_API_KEY',
    needsApiKey: () => true,
    load: anthropic.load,
    checkParams: async (params, id) => {
      await anthropic.load();
      anthropic.get().toAnthropicParams(params, 4096, id);
    },
    create: (options) => anthropic.get().createAnthropicProvider(options),
  },
  mock: {
    needsModel: false,
    needsApiKey: () => false,
    load: mockPackage.load,
    // The offline provider reads no params: any may be written, for a profile shared with a real provider.
    checkParams: async () => {},
    create: (options, mock) =>
      mockPackage.get().createMockProvider({
        chunkDelayMs: mock.mockDelayMs,
        failContexts: mock.mockFail,
        ...(options as MockProviderOptions),
        id: options.id,
      }),
  },
});

/** Names `use:` may give that are not providers the CLI can make, with what to do instead. */
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
