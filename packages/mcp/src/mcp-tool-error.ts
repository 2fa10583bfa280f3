import { MultiContextError } from '@multi-context/errors';

/**
 * An MCP tool answered with `isError`, or its call failed. The orchestrator
 * sends the message to the model as the call's error result: the run goes on.
 */
export class McpToolError extends MultiContextError {
  static override errorName = 'McpToolError';

  constructor(
    readonly server: string,
    readonly tool: string,
    message: string,
  ) {
    super(message);
  }
}
