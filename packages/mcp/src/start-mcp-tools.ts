import type { Tool } from '@multi-context/core';
import type { McpServerSpec, ProfileToolEntry } from '@multi-context/workflow';
import { type ConnectOptions, connectMcpServer, type McpConnection } from './connect-mcp-server.js';
import { type McpServerProblem, McpStartError } from './mcp-start-error.js';
import { mcpTool } from './mcp-tool.js';
import { DEFAULT_MAX_RESULT_CHARS } from './mcp-tool-result.js';
import { type Environment, mcpSecretsOf } from './server-secrets.js';

/** The tool names providers take. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** What {@link startMcpTools} starts, and for whom. */
export interface StartMcpToolsOptions {
  /** The MCP servers by name (a workflow's or profiles file's `mcpServers`). */
  servers: Readonly<Record<string, McpServerSpec>>;
  /**
   * The `tools` of each profile the run uses, by profile name. Only the
   * servers they name are started; a tool name that is not an MCP entry is
   * kept as it is (a tool the host gives the orchestrator in code).
   */
  profiles: Readonly<Record<string, readonly ProfileToolEntry[] | undefined>>;
  /** Where `fromEnv` values are read. Default `process.env`. */
  env?: Environment;
  /** The folder a stdio server's `cwd` is resolved from (the file that declares it): by server name, or one for all. Default the working directory. */
  baseDir?: string | ((server: string) => string);
  /** The most characters of one tool result sent to the model. Default 100,000. */
  maxResultChars?: number;
  /** A stdio server's stderr, secrets taken out (dropped when left out). */
  onStderr?: (server: string, text: string) => void;
}

/**
 * The MCP servers of one run, started: the tools to give the orchestrator,
 * the tool names of each profile, and how to close them all. Close it when
 * the run ends, however it ends (`await using` does).
 */
export interface McpTools extends AsyncDisposable {
  /** Every tool of the started servers a profile names, by name: the orchestrator's `tools`. */
  readonly tools: Record<string, Tool>;
  /** Each profile's tools by name (its MCP entries expanded): the `tools` of its orchestrator profile. */
  readonly profileTools: Record<string, string[]>;
  /** The secret values the servers' settings read from the environment: keep them out of what is shown or stored. */
  readonly secrets: readonly string[];
  /** The process ids of the stdio servers. */
  readonly pids: readonly number[];
  /** Closes every server (idempotent): stdin closed, then SIGTERM, then SIGKILL for stdio ones. */
  close(): Promise<void>;
}

/**
 * Starts the MCP servers the profiles name, each once and all at the same
 * time, lists their tools and expands each profile's `- mcp:` entries into
 * tool names, before any model call.
 *
 * @throws {McpStartError} With every server that failed to start or to list
 *   its tools, every `allow` that names a tool its server lacks, and every
 *   tool name two servers both give; the servers started are closed first.
 *
 * @example
 * const mcp = await startMcpTools({ servers: workflow.mcpServers ?? {}, profiles: { researcher: profile.tools } });
 * try {
 *   const orchestrator = new MultiContextOrchestrator({ providers, tools: mcp.tools, profiles: { researcher: { ...profile, tools: mcp.profileTools.researcher } } });
 *   await orchestrator.run(workflow).result;
 * } finally {
 *   await mcp.close();
 * }
 */
export async function startMcpTools(options: StartMcpToolsOptions): Promise<McpTools> {
  const env = options.env ?? process.env;
  const named = new Set<string>();
  for (const entries of Object.values(options.profiles)) {
    for (const entry of entries ?? []) if (typeof entry !== 'string') named.add(entry.mcp);
  }
  const problems: McpServerProblem[] = [];
  for (const server of named) {
    if (!Object.hasOwn(options.servers, server))
      problems.push({ server, message: 'is named by a profile but not defined in mcp_servers' });
  }
  if (problems.length > 0) throw new McpStartError(problems);

  const started = await Promise.allSettled(
    [...named].map((server) =>
      connectMcpServer(server, options.servers[server]!, connectOptions(server, options, env)),
    ),
  );
  const connections = new Map<string, McpConnection>();
  [...named].forEach((server, index) => {
    const outcome = started[index]!;
    if (outcome.status === 'fulfilled') connections.set(server, outcome.value);
    else problems.push({ server, message: (outcome.reason as Error).message });
  });
  const closeAll = () =>
    Promise.all([...connections.values()].map((connection) => connection.close()));
  // A process that exits at once (a second Ctrl-C) has no time for a graceful close: its servers are killed with it.
  const pids = [...connections.values()].flatMap((connection) =>
    connection.pid === undefined ? [] : [connection.pid],
  );
  const killOnExit = () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', killOnExit);

  const maxResultChars = options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
  const tools: Record<string, Tool> = {};
  const servedBy = new Map<string, string>();
  const profileTools: Record<string, string[]> = {};
  if (problems.length === 0) {
    for (const [profile, entries] of Object.entries(options.profiles)) {
      const names: string[] = [];
      for (const entry of entries ?? []) {
        if (typeof entry === 'string') {
          names.push(entry);
          continue;
        }
        const connection = connections.get(entry.mcp)!;
        const spec = options.servers[entry.mcp]!;
        const usable = connection.tools.filter((tool) => TOOL_NAME.test(tool.name));
        const chosen = entry.allow === undefined ? usable : [];
        for (const wanted of entry.allow ?? []) {
          const tool = connection.tools.find((candidate) => candidate.name === wanted);
          if (tool === undefined) {
            problems.push({
              server: entry.mcp,
              message: `profile "${profile}" allows the tool "${wanted}", which the server does not have (it has: ${connection.tools.map((t) => t.name).join(', ') || 'none'})`,
            });
          } else if (!TOOL_NAME.test(tool.name)) {
            problems.push({
              server: entry.mcp,
              message: `profile "${profile}" allows the tool "${wanted}", whose name providers do not take (1 to 64 letters, digits, "_" or "-")`,
            });
          } else chosen.push(tool);
        }
        for (const tool of chosen) {
          const other = servedBy.get(tool.name);
          if (other !== undefined && other !== entry.mcp) {
            problems.push({
              server: entry.mcp,
              message: `its tool "${tool.name}" has the name of a tool of "${other}": a run can use only one of them (name the others with allow:)`,
            });
            continue;
          }
          servedBy.set(tool.name, entry.mcp);
          tools[tool.name] ??= mcpTool(connection, tool, {
            maxResultChars,
            timeoutMs: spec.timeoutMs,
          });
          names.push(tool.name);
        }
      }
      profileTools[profile] = [...new Set(names)];
    }
  }
  if (problems.length > 0) {
    await closeAll();
    process.removeListener('exit', killOnExit);
    throw new McpStartError(problems);
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= closeAll().then(() => {
      process.removeListener('exit', killOnExit);
    });
    return closing;
  };
  return {
    tools,
    profileTools,
    secrets: mcpSecretsOf(
      Object.fromEntries([...named].map((server) => [server, options.servers[server]!])),
      env,
    ),
    pids,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function connectOptions(
  server: string,
  options: StartMcpToolsOptions,
  env: Environment,
): ConnectOptions {
  const baseDir =
    typeof options.baseDir === 'function'
      ? options.baseDir(server)
      : (options.baseDir ?? process.cwd());
  const { onStderr } = options;
  return {
    env,
    baseDir,
    ...(onStderr !== undefined && { onStderr: (text: string) => onStderr(server, text) }),
  };
}
