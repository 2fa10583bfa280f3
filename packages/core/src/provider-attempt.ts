import {
  completeFunctionOf,
  LazyAbort,
  normalizeCompleteResult,
  type Provider,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
  requestWithSignal,
} from '@multi-context/provider';
import type { Subscription } from 'rxjs';
import { TaskTimeoutError } from './errors.js';
import { Abortable } from './inflight-list.js';

/** What an attempt reports to the run that started it, about the task `T` it belongs to. */
export interface AttemptOwner<T> {
  /** The attempt started: abort it if the run is cancelled. */
  track(attempt: Abortable): void;
  /** The attempt ended: it no longer needs aborting. */
  untrack(attempt: Abortable): void;
  /** A streamed piece of the answer. */
  attemptDelta(task: T, text: string): void;
  attemptSucceeded(task: T, text: string, usage: ProviderUsage | undefined): void;
  /** The provider failed, or the attempt was aborted (timeout, cancel) with `error`. */
  attemptFailed(task: T, error: unknown): void;
}

/**
 * One attempt of one task: calls the provider and reports the whole answer,
 * or the failure, to its owner exactly once. It owns an abort whose signal is
 * made only if the provider reads it, so a timeout or a cancel both abort the
 * signal the provider was given and unsubscribe from its stream (the
 * provider's cue to close its HTTP request).
 *
 * A provider made by `defineProvider({ complete })` is called directly: the
 * same call its `stream()` makes, without the Observable around it.
 *
 * One object with methods rather than closures and promises, because a
 * parallel phase holds one of these per task in flight (100,000 at once in
 * the benchmark) and all of that is memory the garbage collector walks.
 */
export class ProviderAttempt<T> extends Abortable {
  readonly #owner: AttemptOwner<T>;
  readonly #task: T;
  readonly #providerId: string;
  readonly #abort: LazyAbort;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What a provider's stream() sent so far; only a provider without a direct `complete` has one. */
  #stream: StreamState | undefined;

  constructor(
    owner: AttemptOwner<T>,
    task: T,
    provider: Provider,
    /** The request, whose signal is `abort`'s (see `requestWithSignal`). */
    request: ProviderRequest,
    abort: LazyAbort,
    timeoutMs: number | undefined,
  ) {
    super();
    this.#owner = owner;
    this.#abort = abort;
    this.#task = task;
    this.#providerId = provider.id;
    owner.track(this);
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => this.abort(new TaskTimeoutError(timeoutMs)), timeoutMs);
    }
    this.#start(provider, request);
  }

  /** Stops the attempt: aborts the provider's signal, unsubscribes, and reports `reason` as its failure. */
  abort(reason: Error): void {
    if (this.#settled) return;
    this.#settle();
    // Abort first, so the provider sees why (a timeout, a cancel) on its signal.
    this.#abort.abort(reason);
    this.#stream?.subscription?.unsubscribe();
    this.#owner.attemptFailed(this.#task, reason);
  }

  #start(provider: Provider, request: ProviderRequest): void {
    let result: unknown;
    try {
      const complete = completeFunctionOf(provider);
      if (complete === undefined) {
        this.#subscribe(provider, request);
        return;
      }
      result = complete(request);
    } catch (error) {
      // A provider that throws instead of failing its Observable (or its promise).
      this.#fail(error);
      return;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => this.#completed(value),
        (error: unknown) => this.#fail(error),
      );
    } else {
      this.#completed(result);
    }
  }

  #subscribe(provider: Provider, request: ProviderRequest): void {
    const stream: StreamState = {
      subscription: undefined,
      text: '',
      finalText: undefined,
      usage: undefined,
    };
    this.#stream = stream;
    const subscription = provider.stream(request).subscribe({
      next: (event) => this.#next(stream, event),
      error: (error: unknown) => this.#fail(error),
      complete: () => this.#succeed(stream.finalText ?? stream.text, stream.usage),
    });
    if (this.#settled) subscription.unsubscribe();
    else stream.subscription = subscription;
  }

  #next(stream: StreamState, event: ProviderEvent): void {
    if (this.#settled) return;
    switch (event.type) {
      case 'text-delta':
        stream.text += event.text;
        this.#owner.attemptDelta(this.#task, event.text);
        break;
      case 'usage':
        stream.usage = event.usage;
        break;
      case 'finish':
        if (event.text !== undefined) stream.finalText = event.text;
        if (event.usage !== undefined) stream.usage = event.usage;
        break;
    }
  }

  #completed(value: unknown): void {
    if (this.#settled) return;
    // The common answer, a string, needs no normalising (nor the object that comes of it).
    if (typeof value === 'string') {
      this.#succeed(value, undefined);
      return;
    }
    let answer: { text: string; usage?: ProviderUsage };
    try {
      answer = normalizeCompleteResult(value, this.#providerId);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#succeed(answer.text, answer.usage);
  }

  #succeed(text: string, usage: ProviderUsage | undefined): void {
    if (this.#settled) return;
    this.#settle();
    this.#owner.attemptSucceeded(this.#task, text, usage);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#owner.attemptFailed(this.#task, error);
  }

  #settle(): void {
    this.#settled = true;
    this.#owner.untrack(this);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}

/** The state of an attempt whose provider streams: kept apart so a direct call does not carry it. */
interface StreamState {
  subscription: Subscription | undefined;
  text: string;
  finalText: string | undefined;
  usage: ProviderUsage | undefined;
}

/** One provider call outside a task's attempts (a summary), as a promise. */
export function attemptOnce(
  tracker: Pick<AttemptOwner<unknown>, 'track' | 'untrack'>,
  provider: Provider,
  request: Omit<ProviderRequest, 'signal'>,
  timeoutMs: number | undefined,
): Promise<{ text: string; usage: ProviderUsage | undefined }> {
  return new Promise((resolve, reject) => {
    const owner: AttemptOwner<undefined> = {
      track: (attempt) => tracker.track(attempt),
      untrack: (attempt) => tracker.untrack(attempt),
      attemptDelta: () => {},
      attemptSucceeded: (_, text, usage) => resolve({ text, usage }),
      attemptFailed: (_, error) => reject(error),
    };
    const abort = new LazyAbort();
    new ProviderAttempt(
      owner,
      undefined,
      provider,
      requestWithSignal(request, abort),
      abort,
      timeoutMs,
    );
  });
}
