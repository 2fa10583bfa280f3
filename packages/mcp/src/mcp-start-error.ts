import { MultiContextError } from '@multi-context/errors';

/** Why one MCP server could not be used. */
export interface McpServerProblem {
  /** The server's name (its key in `mcp_servers`). */
  server: string;
  /** What went wrong, secrets taken out. */
  message: string;
}

/**
 * The MCP servers of a run could not all be started (or reached, or listed),
 * or the profiles name tools they do not have. Thrown before any model call;
 * every server started is closed again first. The message lists each
 * problem on a line of its own, with no secret in it.
 */
export class McpStartError extends MultiContextError {
  static override errorName = 'McpStartError';

  constructor(readonly problems: readonly McpServerProblem[]) {
    super(
      problems.length === 1
        ? `MCP server "${problems[0]!.server}": ${problems[0]!.message}`
        : `${problems.length} MCP servers could not be used:\n${problems
            .map((problem) => `  - "${problem.server}": ${problem.message}`)
            .join('\n')}`,
    );
  }
}
