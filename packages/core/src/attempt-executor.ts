import {
  completeFunctionOf,
  finishEvent,
  LazyAbort,
  normalizeCompleteResult,
  type Provider,
  type ProviderEvent,
  type ProviderRequest,
  requestWithSignal,
  toolCallEvents,
} from '@multi-context/provider';
import type { Subscription } from 'rxjs';

/**
 * One attempt's provider call as it will be sent: the provider request
 * without its `signal`, and the name of the provider that is to answer it.
 * Plain JSON data, so it can cross a queue or a process boundary:
 * `JSON.parse(JSON.stringify(request))` is equal to it.
 */
export interface AttemptRequest extends Omit<ProviderRequest, 'signal'> {
  /**
   * The provider's name, a key of the orchestrator's `providers` (the profile's
   * `provider`, or `defaultProvider`): a remote worker answers with its own
   * instance of that name.
   */
  provider: string;
}

/**
 * Where an executor delivers what the provider sends, in order: its events
 * (text deltas, usage, the `finish` event), then exactly one of `complete()`
 * or `error()`. The shape of an rxjs Observer, so an executor may subscribe it
 * to an `Observable<ProviderEvent>` as it is. Calls may come synchronously,
 * from inside `execute()`. An error the provider would throw (a
 * `ProviderError` with `retryable`, any other error) is passed to `error()`:
 * a remote executor rebuilds it, so that the run's retries still apply.
 */
export interface ProviderEventSink {
  /** One event of the provider's stream: a text delta, usage, a tool call, or `finish`. */
  next(event: ProviderEvent): void;
  /** The call failed (or the provider threw): the attempt fails with `error`. */
  error(error: unknown): void;
  /** The answer is whole: the `finish` text if it had one, else the deltas joined. */
  complete(): void;
  /**
   * Optional for an executor to call: the call is being made by remote
   * worker `workerId`. The run puts it on the attempt's `task:retry` or
   * `task:end` (as `worker`); the last call wins. An in-process executor
   * does not call it.
   */
  servedBy?(workerId: string): void;
}

/** A provider call that an executor started: what the run stops it with. */
export interface AttemptCall {
  /**
   * Stops the call: the run was cancelled, or the attempt timed out, with
   * `reason` (a `RunCancelledError` or a `TaskTimeoutError`). Abort the
   * provider's signal with it and unsubscribe (a remote executor sends a
   * message instead). The run has then settled the attempt and ignores the
   * sink. Called at most once, and only while the run waits for the call's end.
   */
  abort(reason: Error): void;
}

/**
 * Where an attempt's provider call is made: the seam between the run, which
 * schedules, retries and records, and the provider. In this process by
 * default ({@link inProcessExecutor}); a queue's worker when the calls are
 * scaled out. What crosses it is plain data: the request as sent, and the
 * provider's events back. The run keeps everything else (timeouts, retries,
 * structured-output repairs, the context): an executor makes one call.
 */
export interface AttemptExecutor {
  /**
   * Starts the provider call of one attempt (or of a context's summary) and
   * reports what the provider sends to `sink`.
   *
   * @param request - The request as sent, plain JSON data.
   * @param sink - Where the provider's events, then its end, go.
   * @param local - The provider instance this process holds under
   *   `request.provider`: what an in-process executor calls. A remote executor
   *   ignores it.
   * @returns What stops the call on a cancel or a timeout.
   */
  execute(request: AttemptRequest, sink: ProviderEventSink, local: Provider): AttemptCall;
}

/**
 * The default executor: calls the provider in this process. A provider made
 * by `defineProvider({ complete })` is called directly, the same call its
 * `stream()` makes without the Observable around it (a wide phase of instant
 * tasks pays for nothing else); any other is subscribed to. The request the
 * provider gets has a `signal` that is made only if the provider reads it,
 * and aborted with the reason of a cancel or a timeout.
 */
export const inProcessExecutor: AttemptExecutor = Object.freeze({
  execute(request: AttemptRequest, sink: ProviderEventSink, local: Provider): AttemptCall {
    const abort = new LazyAbort();
    const sent = requestWithSignal(request, abort);
    const complete = completeFunctionOf(local);
    if (complete === undefined) return subscribe(local, sent, abort, sink);
    let result: unknown;
    try {
      result = complete(sent);
    } catch (error) {
      // A provider that throws instead of rejecting.
      sink.error(error);
      return abort;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => deliver(value, sink, local.id),
        (error: unknown) => sink.error(error),
      );
    } else {
      deliver(result, sink, local.id);
    }
    // A direct call has nothing to unsubscribe: aborting its signal is all there is to stop.
    return abort;
  },
});

/** What `complete()` returned, as the `finish` event its `stream()` would send. */
function deliver(value: unknown, sink: ProviderEventSink, providerId: string): void {
  // The common answer, a string, needs no normalising (nor the object that comes of it).
  if (typeof value === 'string') {
    sink.next({ type: 'finish', text: value });
    sink.complete();
    return;
  }
  let answer: ReturnType<typeof normalizeCompleteResult>;
  try {
    answer = normalizeCompleteResult(value, providerId);
  } catch (error) {
    sink.error(error);
    return;
  }
  for (const event of toolCallEvents(answer)) sink.next(event);
  sink.next(finishEvent(answer));
  sink.complete();
}

function subscribe(
  provider: Provider,
  request: ProviderRequest,
  abort: LazyAbort,
  sink: ProviderEventSink,
): AttemptCall {
  const call = new StreamCall(abort);
  try {
    call.subscribed(provider.stream(request).subscribe(sink));
  } catch (error) {
    // A provider that throws instead of failing its Observable.
    sink.error(error);
  }
  return call;
}

/** A provider's stream in flight: stopping it aborts its signal and unsubscribes (its cue to close the request). */
class StreamCall implements AttemptCall {
  readonly #abort: LazyAbort;
  #subscription: Subscription | undefined;

  constructor(abort: LazyAbort) {
    this.#abort = abort;
  }

  subscribed(subscription: Subscription): void {
    this.#subscription = subscription;
  }

  abort(reason: Error): void {
    // Abort first, so the provider sees why (a timeout, a cancel) on its signal.
    this.#abort.abort(reason);
    this.#subscription?.unsubscribe();
  }
}
