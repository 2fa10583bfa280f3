import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import type { Tool } from '@multi-context/core';
import { redactSecrets } from '@multi-context/provider';
import type { McpConnection } from './connect-mcp-server.js';
import { McpToolError } from './mcp-tool-error.js';
import { resultText } from './mcp-tool-result.js';

/** What a tool of {@link mcpTool} is made with beside its server. */
export interface McpToolOptions {
  /** The most characters of a result sent to the model. */
  maxResultChars: number;
  /** Bound of one call in milliseconds (the server's `timeout`); the orchestrator's when undefined. */
  timeoutMs: number | undefined;
}

/**
 * An MCP server's tool as the orchestrator takes it: the model sees the
 * server's name, description and input schema; a call goes to the server,
 * and a result the server marks `isError`, or a failed call, is thrown as
 * {@link McpToolError} (the model gets it as an error result).
 */
export function mcpTool(
  connection: McpConnection,
  info: McpToolInfo,
  options: McpToolOptions,
): Tool {
  const server = connection.name;
  const secrets = connection.secrets;
  return {
    name: info.name,
    description:
      info.description ?? info.title ?? `The tool "${info.name}" of the MCP server "${server}".`,
    inputSchema: info.inputSchema as Record<string, unknown>,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    async execute(input, { signal }) {
      let result: Awaited<ReturnType<McpConnection['call']>>;
      try {
        result = await connection.call(info.name, input ?? {}, signal);
      } catch (error) {
        // The orchestrator says why a call it aborted ended (cancel, timeout); this is for the server's own failures.
        if (signal.aborted) throw signal.reason;
        const message = error instanceof Error ? error.message : String(error);
        throw new McpToolError(server, info.name, redactSecrets(message, secrets));
      }
      const text = redactSecrets(resultText(result, options.maxResultChars), secrets);
      if (result.isError === true)
        throw new McpToolError(server, info.name, text || 'the tool failed');
      return text;
    },
  };
}
