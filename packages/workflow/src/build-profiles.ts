import type { McpServerFile } from './mcp-servers-schema.js';
import { compact, copyData } from './plain-data.js';
import type { McpServerSpec, ProfileSpec, ProfilesDocument, ProviderSpec } from './profiles.js';
import type { ProfilesFile } from './profiles-schema.js';

type FileProvider = NonNullable<ProfilesFile['providers']>[string];
type FileProfile = NonNullable<ProfilesFile['profiles']>[string];

/** The camelCase {@link ProviderSpec} of a validated provider of a file. */
export function providerFromFile(provider: FileProvider): ProviderSpec {
  return compact({
    use: provider.use,
    baseUrl: provider.base_url,
    apiKeyEnv: provider.api_key_env,
    organization: provider.organization,
    headers: copyData(provider.headers),
    defaultModel: provider.default_model,
    options: copyData(provider.options),
    rateLimit: provider.rate_limit && {
      requests: provider.rate_limit.requests,
      ...(provider.rate_limit.per !== undefined && { perMs: provider.rate_limit.per }),
      ...(provider.rate_limit.by !== undefined && { by: provider.rate_limit.by }),
    },
  });
}

/** The camelCase {@link ProfileSpec} of a validated profile of a file. */
export function profileFromFile(profile: FileProfile): ProfileSpec {
  return compact({
    provider: profile.provider,
    model: profile.model,
    system: profile.system,
    temperature: profile.temperature,
    topP: profile.top_p,
    maxTokens: profile.max_tokens,
    stop: typeof profile.stop === 'string' ? [profile.stop] : copyData(profile.stop),
    seed: profile.seed,
    retries: profile.retries,
    timeoutMs: profile.timeout,
    price:
      profile.price &&
      compact({
        inputPerMillion: profile.price.input_per_million,
        outputPerMillion: profile.price.output_per_million,
        cacheReadPerMillion: profile.price.cache_read_per_million,
        cacheWritePerMillion: profile.price.cache_write_per_million,
        currency: profile.price.currency,
      }),
    params: copyData(profile.params),
    tools: copyData(profile.tools),
    maxSteps: profile.max_steps,
    promptCache: profile.prompt_cache,
  });
}

/** The camelCase {@link McpServerSpec} of a validated MCP server of a file. */
export function mcpServerFromFile(server: McpServerFile): McpServerSpec {
  const fromEnv = <T extends { from_env: string; prefix?: string }>(
    values: Record<string, string | T> | undefined,
  ) =>
    values &&
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        typeof value === 'string'
          ? value
          : {
              fromEnv: value.from_env,
              ...(value.prefix !== undefined && { prefix: value.prefix }),
            },
      ]),
    );
  return compact({
    command: server.command,
    args: copyData(server.args),
    cwd: server.cwd,
    env: fromEnv(server.env),
    url: server.url,
    headers: fromEnv(server.headers),
    timeoutMs: server.timeout,
    startupTimeoutMs: server.startup_timeout,
  });
}

/** A fresh copy of a validated MCP server given in code, without undefined keys. */
export function buildMcpServer(server: McpServerSpec): McpServerSpec {
  return compact({ ...copyData(server) });
}

/** A fresh copy of a validated provider given in code, without undefined keys. */
export function buildProvider(provider: ProviderSpec): ProviderSpec {
  return compact({
    ...provider,
    headers: copyData(provider.headers),
    options: copyData(provider.options),
    rateLimit: provider.rateLimit && { ...provider.rateLimit },
  });
}

/** A fresh copy of a validated profile given in code, without undefined keys. */
export function buildProfile(profile: ProfileSpec): ProfileSpec {
  return compact({
    ...profile,
    stop: copyData(profile.stop),
    price: profile.price && { ...profile.price },
    params: copyData(profile.params),
    tools: copyData(profile.tools),
  });
}

/** Applies `build` to every entry of a section that may be absent. */
export function mapSection<A, B>(
  section: Record<string, A> | undefined,
  build: (entry: A, name: string) => B,
): Record<string, B> | undefined {
  if (section === undefined) return undefined;
  const result: Record<string, B> = {};
  for (const [name, entry] of Object.entries(section)) {
    Object.defineProperty(result, name, {
      value: build(entry, name),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** The {@link ProfilesDocument} of a validated profiles file. */
export function profilesFromFile(file: ProfilesFile): ProfilesDocument {
  return compact({
    providers: mapSection(file.providers, providerFromFile),
    profiles: mapSection(file.profiles, profileFromFile),
    mcpServers: mapSection(file.mcp_servers, mcpServerFromFile),
  });
}
