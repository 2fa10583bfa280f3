import type { FromEnv, HeaderFromEnv, McpServerSpec } from '@multi-context/workflow';

/** The environment variables an MCP server's settings are read from. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A server's `env` or `headers` with every `fromEnv` replaced by its value, and those values (the secrets). */
export interface ResolvedValues {
  values: Record<string, string>;
  secrets: string[];
  /** The variables that are not set (or empty). */
  missing: string[];
}

/**
 * Reads `fromEnv` values from `env`. A variable that is not set is reported
 * in `missing` by name, never guessed at: a server that needs a key should
 * not start without one.
 */
export function resolveValues(
  values: Record<string, string | FromEnv | HeaderFromEnv> | undefined,
  env: Environment,
): ResolvedValues {
  const resolved: ResolvedValues = { values: {}, secrets: [], missing: [] };
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === 'string') {
      resolved.values[key] = value;
      continue;
    }
    const secret = env[value.fromEnv];
    if (secret === undefined || secret === '') {
      resolved.missing.push(value.fromEnv);
      continue;
    }
    resolved.secrets.push(secret);
    resolved.values[key] = `${(value as HeaderFromEnv).prefix ?? ''}${secret}`;
  }
  return resolved;
}

/**
 * Every secret value the servers' settings read from `env` (set ones only):
 * what a host keeps out of events, journals and output.
 */
export function mcpSecretsOf(
  servers: Readonly<Record<string, McpServerSpec>>,
  env: Environment,
): string[] {
  return Object.values(servers).flatMap((server) => [
    ...resolveValues(server.env, env).secrets,
    ...resolveValues(server.headers, env).secrets,
  ]);
}
