/** How a provider is made: a built-in provider or a plugin module, and its settings. */
export interface ProviderSpec {
  /** A built-in provider's name (`openai`, `anthropic`, ...), or a module path or package name that exports a factory. */
  use: string;
  /** The server's base URL, for compatible servers and proxies. */
  baseUrl?: string;
  /** The name of the environment variable that holds the API key (never the key itself). */
  apiKeyEnv?: string;
  organization?: string;
  /** HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /** The model of profiles that name none. */
  defaultModel?: string;
  /** Settings passed as they are to the provider's factory (for custom plugins). */
  options?: Record<string, unknown>;
  /** How many calls of this provider may start in a window: see {@link ProviderRateLimit}. */
  rateLimit?: ProviderRateLimit;
}

/**
 * At most `requests` calls start in any window of `perMs` (default one
 * minute): per provider, or per model of it with `by: 'model'`. A local run
 * holds it in its process; a scaled-out run's workers share it through Redis.
 */
export interface ProviderRateLimit {
  requests: number;
  perMs?: number;
  by?: 'provider' | 'model';
}

/**
 * A price per million tokens, which turns usage into a cost; a profile's own
 * price overrides the price table's.
 */
export interface ProfilePrice {
  /** Input tokens neither read from nor written to a prompt cache. */
  inputPerMillion: number;
  outputPerMillion: number;
  /** Input tokens read from the prompt cache; `inputPerMillion` when left out. */
  cacheReadPerMillion?: number;
  /** Input tokens written to the prompt cache; `inputPerMillion` when left out. */
  cacheWritePerMillion?: number;
  /** The ISO 4217 code of these prices (`USD`, `EUR`); `USD` when left out. */
  currency?: string;
}

/** A named way of answering: a provider, a model and its settings. */
export interface ProfileSpec {
  /** A provider name (a key of `providers`); the default provider when left out. */
  provider?: string;
  model?: string;
  /** A system message sent first in every call of this profile. */
  system?: string;
  temperature?: number;
  topP?: number;
  /** The most tokens an answer may have. */
  maxTokens?: number;
  /** Sequences that end an answer. */
  stop?: string[];
  seed?: number;
  /** How many times a retryable failure is retried. */
  retries?: number;
  /** Bound of each attempt, in milliseconds. */
  timeoutMs?: number;
  price?: ProfilePrice;
  /** Provider-specific request settings, passed as they are. */
  params?: Record<string, unknown>;
  /**
   * The tools its tasks may call: a tool the host gives the orchestrator, by
   * name, or the tools of an MCP server of `mcpServers`. A task of a profile
   * with tools runs the agent loop.
   */
  tools?: ProfileToolEntry[];
  /** How many model steps a task of this profile may take; a task's `maxSteps` wins. */
  maxSteps?: number;
  /**
   * Prompt caching (`prompt_cache` in a file): `off`, `on`, or a
   * time-to-live, `5m` or `1h`. Sent to the provider as its `prompt_cache`
   * param: Anthropic caches unless `off`; OpenAI sends a `prompt_cache_key`
   * when `on`. Left out, each provider's default.
   */
  promptCache?: 'on' | 'off' | '5m' | '1h';
}

/** One entry of a profile's `tools`: a tool's name, or an MCP server's tools. */
export type ProfileToolEntry = string | ProfileMcpTools;

/** The tools of the MCP server `mcp` (a key of `mcpServers`): all of them, or those `allow` names. */
export interface ProfileMcpTools {
  mcp: string;
  allow?: string[];
}

/** A secret taken from the host's environment variable `fromEnv` when the server is started. */
export interface FromEnv {
  fromEnv: string;
}

/** A header taken from the host's environment variable `fromEnv`, after `prefix` (such as `Bearer `). */
export interface HeaderFromEnv extends FromEnv {
  prefix?: string;
}

/**
 * A Model Context Protocol server whose tools profiles may name: started with
 * `command` over stdio, or reached at `url` over Streamable HTTP (one of the two).
 */
export interface McpServerSpec {
  /** The program that starts the server over stdio. */
  command?: string;
  args?: string[];
  /** The server's working folder; relative to the file that declares it, which is also the default. */
  cwd?: string;
  /** Environment variables set for the server: a value, or a secret from the host's environment. */
  env?: Record<string, string | FromEnv>;
  /** The Streamable HTTP endpoint. */
  url?: string;
  /** Headers sent with every request: a value, or a secret from the host's environment. */
  headers?: Record<string, string | HeaderFromEnv>;
  /** Bound of one call of its tools, in milliseconds. */
  timeoutMs?: number;
  /** How long it may take to start and list its tools, in milliseconds. Default 30,000. */
  startupTimeoutMs?: number;
}

/** The `providers`, `profiles` and `mcpServers` of a profiles file (or of a workflow file). */
export interface ProfilesDocument {
  providers?: Record<string, ProviderSpec>;
  profiles?: Record<string, ProfileSpec>;
  mcpServers?: Record<string, McpServerSpec>;
}
