import type { ProviderRequest } from './provider.js';

/**
 * An abort that makes its AbortSignal only when someone asks for it.
 *
 * An AbortSignal costs about a microsecond and weighs on the garbage collector;
 * a provider that answers at once never looks at its signal, and a run of
 * 100,000 such tasks should not pay for 100,000 signals. Aborting before the
 * signal exists is remembered: the signal, once made, is already aborted.
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  readonly #follow: (() => AbortSignal) | undefined;

  /** `follow`: a signal to abort along with, looked up only when this signal is made. */
  constructor(follow?: () => AbortSignal) {
    this.#follow = follow;
  }

  /** Whether `abort()` was called (without making the signal). */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The signal, made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#aborted) {
        controller.abort(this.#reason);
      } else if (this.#follow !== undefined) {
        const parent = this.#follow();
        if (parent.aborted) controller.abort(parent.reason);
        else parent.addEventListener('abort', () => this.abort(parent.reason), { once: true });
      }
    }
    return this.#controller.signal;
  }

  /** Aborts the signal (now, or when it is made). Only the first call counts. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/**
 * A provider request whose `signal` is a {@link LazyAbort}'s, made on first
 * read. A class, so that the getter lives once on the prototype rather than
 * being made anew for every request.
 */
class LazySignalRequest implements ProviderRequest {
  readonly prompt: string;
  readonly history: ProviderRequest['history'];
  readonly messages: ProviderRequest['messages'];
  readonly profile: string;
  readonly model: string | undefined;
  readonly system: string | undefined;
  readonly params: ProviderRequest['params'];
  readonly output?: ProviderRequest['output'];
  readonly tools?: ProviderRequest['tools'];
  readonly contextName: string;
  readonly taskId: string;
  readonly runId: string;
  readonly #abort: LazyAbort;

  constructor(request: Omit<ProviderRequest, 'signal'>, abort: LazyAbort) {
    this.prompt = request.prompt;
    this.history = request.history;
    this.messages = request.messages;
    this.profile = request.profile;
    this.model = request.model;
    this.system = request.system;
    this.params = request.params;
    this.output = request.output;
    this.tools = request.tools;
    this.contextName = request.contextName;
    this.taskId = request.taskId;
    this.runId = request.runId;
    this.#abort = abort;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Whether the request is aborted, without making its signal. */
  static isAborted(request: ProviderRequest): boolean {
    return request instanceof LazySignalRequest ? request.#abort.aborted : request.signal.aborted;
  }
}

/**
 * `request` with `abort`'s signal, made on first read of `request.signal`.
 * Every other field is copied as it is.
 */
export function requestWithSignal(
  request: Omit<ProviderRequest, 'signal'>,
  abort: LazyAbort,
): ProviderRequest {
  return new LazySignalRequest(request, abort);
}

/** Whether `request` is aborted, without making a lazy signal that nobody read yet. */
export function isRequestAborted(request: ProviderRequest): boolean {
  return LazySignalRequest.isAborted(request);
}
