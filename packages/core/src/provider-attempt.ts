import type {
  Provider,
  ProviderEvent,
  ProviderToolCall,
  ProviderUsage,
} from '@multi-context/provider';
import type {
  AttemptCall,
  AttemptExecutor,
  AttemptRequest,
  ProviderEventSink,
} from './attempt-executor.js';
import { Abortable, type InflightList } from './inflight-list.js';
import { TaskTimeoutError } from './task-timeout-error.js';

/** What an attempt reports to the run that started it, about the task `T` it belongs to. */
export interface AttemptOwner<T> {
  /** The attempt started: abort it if the run is cancelled. */
  track(attempt: Abortable): void;
  /** The attempt ended: it no longer needs aborting. */
  untrack(attempt: Abortable): void;
  /** A streamed piece of the answer. */
  attemptDelta(task: T, text: string): void;
  /**
   * `worker`: the remote worker that made the call, if an executor said so;
   * `toolCalls`: the tools the model asked to call, in order, if it did.
   */
  attemptSucceeded(
    task: T,
    text: string,
    usage: ProviderUsage | undefined,
    worker: string | undefined,
    toolCalls: ProviderToolCall[] | undefined,
  ): void;
  /** The provider failed, or the attempt was aborted (timeout, cancel) with `error`. */
  attemptFailed(task: T, error: unknown, worker: string | undefined): void;
}

/**
 * The run's side of one attempt: has an executor make the provider call,
 * gathers what the provider sends, and reports the whole answer, or the
 * failure, to its owner exactly once. It bounds the call with the timeout
 * and stops it on a cancel, with the reason, wherever the executor runs it.
 *
 * One object with methods rather than closures and promises, because a
 * parallel phase holds one of these per task in flight (100,000 at once in
 * the benchmark) and all of that is memory the garbage collector walks. It is
 * its own sink, for the same reason.
 */
export class ProviderAttempt<T> extends Abortable implements ProviderEventSink {
  readonly #owner: AttemptOwner<T>;
  readonly #task: T;
  /** Undefined until `execute()` returns (the provider may answer, or be aborted, before). */
  #call: AttemptCall | undefined;
  /** Why the attempt was aborted while `execute()` had not returned: the call is stopped once it has. */
  #abortedEarly: Error | undefined;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The text deltas so far. */
  #text = '';
  /** The whole answer of a `finish` event, which wins over the deltas. */
  #finalText: string | undefined;
  #usage: ProviderUsage | undefined;
  /** The remote worker making the call, once its executor says which. */
  #worker: string | undefined;
  /** The `tool-call` events so far. */
  #toolCalls: ProviderToolCall[] | undefined;

  constructor(
    owner: AttemptOwner<T>,
    task: T,
    executor: AttemptExecutor,
    request: AttemptRequest,
    provider: Provider,
    timeoutMs: number | undefined,
  ) {
    super();
    this.#owner = owner;
    this.#task = task;
    owner.track(this);
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => this.abort(new TaskTimeoutError(timeoutMs)), timeoutMs);
    }
    let call: AttemptCall;
    try {
      call = executor.execute(request, this, provider);
    } catch (error) {
      // An executor that throws instead of reporting to the sink.
      this.error(error);
      return;
    }
    if (!this.#settled) this.#call = call;
    else if (this.#abortedEarly !== undefined) call.abort(this.#abortedEarly);
  }

  /** Stops the attempt: stops the call with `reason` and reports `reason` as its failure. */
  abort(reason: Error): void {
    if (this.#settled) return;
    this.#settle();
    const call = this.#call;
    if (call === undefined) this.#abortedEarly = reason;
    else call.abort(reason);
    this.#owner.attemptFailed(this.#task, reason, this.#worker);
  }

  /** @see ProviderEventSink */
  next(event: ProviderEvent): void {
    if (this.#settled) return;
    switch (event.type) {
      case 'text-delta':
        this.#text += event.text;
        this.#owner.attemptDelta(this.#task, event.text);
        break;
      case 'usage':
        this.#usage = event.usage;
        break;
      case 'finish':
        if (event.text !== undefined) this.#finalText = event.text;
        if (event.usage !== undefined) this.#usage = event.usage;
        break;
      case 'tool-call':
        if (this.#toolCalls === undefined) this.#toolCalls = [];
        this.#toolCalls.push({ id: event.toolCallId, name: event.toolName, input: event.input });
        break;
    }
  }

  /** @see ProviderEventSink */
  complete(): void {
    if (this.#settled) return;
    this.#settle();
    this.#owner.attemptSucceeded(
      this.#task,
      this.#finalText ?? this.#text,
      this.#usage,
      this.#worker,
      this.#toolCalls,
    );
  }

  /** @see ProviderEventSink */
  error(error: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#owner.attemptFailed(this.#task, error, this.#worker);
  }

  /** @see ProviderEventSink */
  servedBy(workerId: string): void {
    if (!this.#settled) this.#worker = workerId;
  }

  #settle(): void {
    this.#settled = true;
    this.#owner.untrack(this);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}

/** One provider call outside a task's attempts (a summary), as a promise. */
export function attemptOnce(
  inflight: InflightList,
  executor: AttemptExecutor,
  request: AttemptRequest,
  provider: Provider,
  timeoutMs: number | undefined,
): Promise<{ text: string; usage: ProviderUsage | undefined }> {
  return new Promise((resolve, reject) => {
    const owner: AttemptOwner<undefined> = {
      track: (attempt) => inflight.add(attempt),
      untrack: (attempt) => inflight.delete(attempt),
      attemptDelta: () => {},
      attemptSucceeded: (_, text, usage) => resolve({ text, usage }),
      attemptFailed: (_, error) => reject(error),
    };
    new ProviderAttempt(owner, undefined, executor, request, provider, timeoutMs);
  });
}
