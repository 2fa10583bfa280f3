import { dirname } from 'node:path';
import {
  didYouMean,
  type McpServerSpec,
  type ProfileSpec,
  type ProfileToolEntry,
} from '@multi-context/workflow';
import type { IssueSeverity } from './located-setup-issue.js';
import type { Entry } from './provider-sections.js';
import { placeIn, placeOf } from './provider-setup.js';
import type { SetupIssues } from './setup-issues.js';

type Env = Readonly<Record<string, string | undefined>>;

/** An MCP server of a run as a host starts it: its spec, and the folder a relative `cwd` starts from. */
export interface McpServerSetup {
  spec: McpServerSpec;
  /** The folder of the file that declares it; the working directory for one given in code. */
  baseDir: string;
}

/**
 * Checks the MCP side of a run's profiles: every `- mcp: NAME` names a server
 * of the merged `mcp_servers`, and (for the servers of `used` profiles) every
 * `from_env` variable is set. Nothing is started here: a server's own
 * failures are the host's to report when it starts it.
 */
export function checkMcpSetup(
  servers: ReadonlyMap<string, Entry<McpServerSpec>>,
  profiles: Iterable<Entry<ProfileSpec>>,
  used: ReadonlySet<string> | undefined,
  issues: SetupIssues,
  env: Env,
  severity: IssueSeverity,
): void {
  const names = [...servers.keys()];
  const checked = new Set<string>();
  for (const entry of profiles) {
    (entry.spec.tools ?? []).forEach((tool, index) => {
      if (typeof tool === 'string') return;
      const server = servers.get(tool.mcp);
      if (server === undefined) {
        const suggestion = didYouMean(tool.mcp, names);
        issues.add(
          `profile "${entry.name}": unknown MCP server "${tool.mcp}"${
            suggestion
              ? `; did you mean "${suggestion}"?`
              : names.length > 0
                ? ` (defined: ${names.map((name) => `"${name}"`).join(', ')})`
                : ' (mcp_servers defines none)'
          }`,
          placeOf(entry, 'profiles', ['tools', index, 'mcp']),
        );
        return;
      }
      if (used !== undefined && !used.has(entry.name)) return;
      if (checked.has(server.name)) return;
      checked.add(server.name);
      for (const key of ['env', 'headers'] as const) {
        for (const [name, value] of Object.entries(server.spec[key] ?? {})) {
          if (typeof value === 'string') continue;
          const set = env[value.fromEnv];
          if (set !== undefined && set !== '') continue;
          issues.add(
            `MCP server "${server.name}": the environment variable ${value.fromEnv} is not set (${key}.${name} takes it)`,
            placeIn(server.origin, ['mcp_servers', server.name, key, name, 'from_env']),
            { severity },
          );
        }
      }
    });
  }
}

/** The servers as hosts start them. */
export function mcpServerSetups(
  servers: ReadonlyMap<string, Entry<McpServerSpec>>,
): Record<string, McpServerSetup> {
  const setups: Record<string, McpServerSetup> = {};
  for (const { name, spec, origin } of servers.values()) {
    setups[name] = { spec, baseDir: origin === undefined ? process.cwd() : dirname(origin.path) };
  }
  return setups;
}

/** Each profile's `tools` as written, MCP entries included, for a host that starts the servers. */
export function profileToolEntries(
  profiles: Iterable<Entry<ProfileSpec>>,
): Record<string, ProfileToolEntry[]> {
  const entries: Record<string, ProfileToolEntry[]> = {};
  for (const { name, spec } of profiles)
    if (spec.tools !== undefined) entries[name] = [...spec.tools];
  return entries;
}
