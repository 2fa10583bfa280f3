import type { Tool } from '@multi-context/core';
import type { ProviderSetupResult } from '@multi-context/providers';
import type { CliIo } from '../cli-io.js';
import { CommandFailure } from './command-failure.js';

/** The MCP servers of one run, started, with what the orchestrator needs of them. */
export interface RunMcp {
  /** The tools the run's profiles name: the orchestrator's `tools`. */
  tools: Record<string, Tool>;
  /** The profiles with their MCP entries turned into tool names. */
  profiles: ProviderSetupResult['profiles'];
  /** Values the servers' settings read from the environment: kept out of output and journals. */
  secrets: readonly string[];
  /** Closes every server; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts the MCP servers the run's profiles name (each once, all at the same
 * time) before any model call, or returns undefined when no profile names
 * one. `@multi-context/mcp` and its SDK are loaded only then.
 *
 * @throws {CommandFailure} (exit 2) with every server that cannot be used, and why.
 */
export async function startRunMcp(
  selection: ProviderSetupResult,
  io: CliIo,
): Promise<RunMcp | undefined> {
  const { servers, profiles } = selection.mcp;
  if (Object.keys(profiles).length === 0) return undefined;
  const { McpStartError, startMcpTools } = await import('@multi-context/mcp');
  const specs = Object.fromEntries(
    Object.entries(servers).map(([name, setup]) => [name, setup.spec]),
  );
  try {
    const mcp = await startMcpTools({
      servers: specs,
      profiles,
      env: io.env,
      baseDir: (server) => servers[server]?.baseDir ?? process.cwd(),
    });
    const merged = { ...selection.profiles };
    for (const [name, tools] of Object.entries(mcp.profileTools)) {
      const profile = merged[name];
      if (profile !== undefined) merged[name] = { ...profile, tools };
    }
    return { tools: mcp.tools, profiles: merged, secrets: mcp.secrets, close: () => mcp.close() };
  } catch (error) {
    if (McpStartError.isInstance(error)) throw new CommandFailure(error.message);
    throw error;
  }
}
