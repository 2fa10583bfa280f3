/** What a tool's `execute` is given beside its input. */
export interface ToolExecuteOptions {
  /** Aborted when the run is cancelled or the call times out: stop work and free resources. */
  signal: AbortSignal;
  /** The id the model gave this call. */
  toolCallId: string;
  /** The task whose model made the call. */
  taskId: string;
  runId: string;
}

/** What checking a tool's input gives: the value to run it with, or why it is refused. */
export type ToolInputCheck<Input> = { ok: true; value: Input } | { ok: false; problem: string };

/**
 * A tool a task's model may call: what the orchestrator needs of one (its
 * `tools` option holds them by name, and a profile's `tools` names those its
 * tasks may call). `@multi-context/tools` makes one from a zod schema with
 * `defineTool`; any object of this shape works.
 *
 * The orchestrator checks the model's arguments before running it, with
 * `parseInput` when the tool has one, else against `inputSchema`: arguments
 * that fail are answered with the problem and the tool is not run. What
 * `execute` returns (or resolves to) is sent to the model: a string as it
 * is, anything else as JSON. A throw, a timeout or a value JSON cannot hold
 * is sent as an error result; none of them fails the run.
 */
export interface Tool<Input = unknown> {
  /** The name the model calls it by: letters, digits, `_` and `-`. */
  readonly name: string;
  /** What it does, for the model. */
  readonly description: string;
  /** The JSON Schema (draft 2020-12) of its input, an object: sent to providers. */
  readonly inputSchema: Record<string, unknown>;
  /** Checks and converts the model's arguments; when absent, they are checked against `inputSchema`. */
  parseInput?(input: unknown): ToolInputCheck<Input>;
  /** Runs the tool. May be async; should stop when `options.signal` aborts. */
  execute(input: Input, options: ToolExecuteOptions): unknown;
  /** Bound of one call in milliseconds; the orchestrator's `toolTimeoutMs` when left out. */
  readonly timeoutMs?: number;
}

/** How many model steps a task with tools may take when its task, profile and orchestrator do not say. */
export const DEFAULT_MAX_STEPS = 10;

/** Bound of one tool call when neither the tool nor the orchestrator says. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
