import { Validator } from '@cfworker/json-schema';
import type { EventError } from '@multi-context/events';
import type { ChatMessage, ProviderToolCall } from '@multi-context/provider';
import { Abortable } from './inflight-list.js';
import { now } from './run-envelope.js';
import { toEventError } from './task-failure.js';
import type { Tool, ToolInputCheck } from './tool.js';
import {
  ToolInputError,
  ToolOutputError,
  ToolTimeoutError,
  UnknownToolError,
} from './tool-errors.js';

/** A call's outcome: the message for the model, or nothing when a cancel stopped it. */
export interface ToolOutcome {
  /** The `tool` message that answers the call; undefined when the call was stopped by a cancel. */
  message: ChatMessage | undefined;
}

/** What a batch of tool calls reports to the task that made them, about the task `T`. */
export interface ToolBatchOwner<T> {
  /** The call started: abort it if the run is cancelled. */
  track(run: Abortable): void;
  /** The call ended. */
  untrack(run: Abortable): void;
  /** One call ended with a result or an error (not on a cancel): `task:tool-result`. */
  toolEnded(
    task: T,
    call: ProviderToolCall,
    result: string | undefined,
    error: EventError | undefined,
    durationMs: number,
  ): void;
  /** Every call ended: `messages` in the order of the calls (undefined where a cancel stopped one). */
  toolsDone(task: T, messages: (ChatMessage | undefined)[]): void;
}

/** Where a batch finds its tools and what it tells them. */
export interface ToolSetup {
  tools: ReadonlyMap<string, Tool>;
  defaultTimeoutMs: number;
  taskId: string;
  runId: string;
}

const validators = new WeakMap<Tool, Validator>();

/**
 * The tool calls of one model step, run in parallel. Each ends once: with a
 * result, an error result (unknown tool, arguments failing the input schema,
 * a throw, a timeout, content JSON cannot hold), or, on a cancel, with
 * nothing. When all have ended the owner gets their messages in call order.
 */
export class ToolBatch<T> {
  readonly #owner: ToolBatchOwner<T>;
  readonly #task: T;
  readonly #messages: (ChatMessage | undefined)[];
  #remaining: number;

  constructor(
    owner: ToolBatchOwner<T>,
    task: T,
    calls: readonly ProviderToolCall[],
    /** Results already known (a resume): those calls are not run again. */
    known: ReadonlyMap<string, ChatMessage> | undefined,
    setup: ToolSetup,
  ) {
    this.#owner = owner;
    this.#task = task;
    this.#messages = new Array(calls.length);
    this.#remaining = calls.length;
    const runs: [number, ProviderToolCall][] = [];
    calls.forEach((call, index) => {
      const message = known?.get(call.id);
      if (message === undefined) runs.push([index, call]);
      else {
        this.#messages[index] = message;
        this.#remaining -= 1;
      }
    });
    if (this.#remaining === 0) {
      owner.toolsDone(task, this.#messages);
      return;
    }
    for (const [index, call] of runs)
      new ToolCallRun(this as unknown as ToolBatch<unknown>, index, call, setup);
  }

  /** @internal */
  get owner(): ToolBatchOwner<T> {
    return this.#owner;
  }

  /** @internal A call ended with a result or an error (`message`), or was stopped by a cancel. */
  ended(index: number, call: ProviderToolCall, outcome: CallOutcome | undefined): void {
    if (outcome !== undefined) {
      const { content, error, durationMs } = outcome;
      const message: ChatMessage = {
        role: 'tool',
        content,
        toolCallId: call.id,
        toolName: call.name,
      };
      if (error !== undefined) message.isError = true;
      this.#messages[index] = message;
      this.#owner.toolEnded(
        this.#task,
        call,
        error === undefined ? content : undefined,
        error,
        durationMs,
      );
    }
    this.#remaining -= 1;
    if (this.#remaining === 0) this.#owner.toolsDone(this.#task, this.#messages);
  }
}

interface CallOutcome {
  content: string;
  error: EventError | undefined;
  durationMs: number;
}

/** One tool call in flight. */
class ToolCallRun extends Abortable {
  readonly #batch: ToolBatch<unknown>;
  readonly #index: number;
  readonly #call: ProviderToolCall;
  readonly #started = now();
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(batch: ToolBatch<unknown>, index: number, call: ProviderToolCall, setup: ToolSetup) {
    super();
    this.#batch = batch;
    this.#index = index;
    this.#call = call;
    const tool = setup.tools.get(call.name);
    if (tool === undefined) {
      this.#settle(failure(new UnknownToolError(call.name, [...setup.tools.keys()])));
      return;
    }
    const check = checkInput(tool, call.input ?? {});
    if (!check.ok) {
      this.#settle(failure(new ToolInputError(call.name, check.problem)));
      return;
    }
    this.#batch.owner.track(this);
    const timeoutMs = tool.timeoutMs ?? setup.defaultTimeoutMs;
    this.#timer = setTimeout(() => {
      const error = new ToolTimeoutError(call.name, timeoutMs);
      this.#controller.abort(error);
      this.#settle(failure(error));
    }, timeoutMs);
    let result: unknown;
    try {
      result = tool.execute(check.value, {
        signal: this.#controller.signal,
        toolCallId: call.id,
        taskId: setup.taskId,
        runId: setup.runId,
      });
    } catch (error) {
      this.#settle(failure(error));
      return;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => this.#settle(content(call.name, value)),
        (error: unknown) => this.#settle(failure(error)),
      );
    } else {
      this.#settle(content(call.name, result));
    }
  }

  /** A cancel: the tool's signal aborts with `reason`, and the call ends without a result. */
  abort(reason: Error): void {
    if (this.#settled) return;
    this.#controller.abort(reason);
    this.#settle(undefined);
  }

  #settle(outcome: Omit<CallOutcome, 'durationMs'> | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#batch.owner.untrack(this);
    this.#batch.ended(
      this.#index,
      this.#call,
      outcome === undefined ? undefined : { ...outcome, durationMs: now() - this.#started },
    );
  }
}

function checkInput(tool: Tool, input: unknown): ToolInputCheck<unknown> {
  if (tool.parseInput !== undefined) {
    try {
      return tool.parseInput(input);
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }
  let validator = validators.get(tool);
  if (validator === undefined) {
    validator = new Validator(tool.inputSchema as never, '2020-12', false);
    validators.set(tool, validator);
  }
  const { valid, errors } = validator.validate(input);
  if (valid) return { ok: true, value: input };
  // The innermost errors say what is wrong; the outer ones only say that something inside is.
  const leaves = errors.filter(
    (e) =>
      !errors.some(
        (other) => other !== e && other.keywordLocation.startsWith(`${e.keywordLocation}/`),
      ),
  );
  const problems = (leaves.length > 0 ? leaves : errors)
    .slice(0, 3)
    .map(
      (e) =>
        `${e.instanceLocation === '#' ? 'the input' : e.instanceLocation.slice(2)}: ${e.error}`,
    );
  return { ok: false, problem: problems.join(' ') };
}

function failure(error: unknown): { content: string; error: EventError } {
  const eventError = toEventError(error);
  return { content: eventError.message, error: eventError };
}

/** What a tool returned, as the model is sent it: a string as it is, anything else as JSON. */
function content(tool: string, value: unknown): { content: string; error: EventError | undefined } {
  if (typeof value === 'string') return { content: value, error: undefined };
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return failure(
      new ToolOutputError(tool, `what JSON cannot hold (${(error as Error).message})`),
    );
  }
  if (json === undefined) return failure(new ToolOutputError(tool, describe(value)));
  return { content: json, error: undefined };
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing (undefined)' : `a ${typeof value}`;
}
