import { MultiContextError } from '@multi-context/errors';

/** A tool call took longer than its timeout: the model is sent this as the call's error. */
export class ToolTimeoutError extends MultiContextError {
  static override errorName = 'ToolTimeoutError';

  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`The tool "${tool}" did not finish within ${timeoutMs} ms.`);
  }
}

/** The model's arguments failed the tool's input schema: the tool was not run. */
export class ToolInputError extends MultiContextError {
  static override errorName = 'ToolInputError';

  constructor(
    readonly tool: string,
    problem: string,
  ) {
    super(`Invalid arguments for the tool "${tool}": ${problem}`);
  }
}

/** A tool returned what cannot be sent to a model (not a string, nor JSON data). */
export class ToolOutputError extends MultiContextError {
  static override errorName = 'ToolOutputError';

  constructor(
    readonly tool: string,
    problem: string,
  ) {
    super(`The tool "${tool}" returned ${problem}; return a string or JSON data.`);
  }
}

/** The model asked for a tool that its task's profile does not allow, or that does not exist. */
export class UnknownToolError extends MultiContextError {
  static override errorName = 'UnknownToolError';

  constructor(
    readonly tool: string,
    allowed: readonly string[],
  ) {
    super(
      `There is no tool "${tool}"${allowed.length === 0 ? '' : `; the tools are: ${allowed.join(', ')}`}.`,
    );
  }
}

/** A task's model still asked for tool calls at its last allowed step. */
export class MaxStepsError extends MultiContextError {
  static override errorName = 'MaxStepsError';

  constructor(readonly maxSteps: number) {
    super(
      `The task reached max_steps (${maxSteps}) without a final answer: its model still asked for tool calls.`,
    );
  }
}
