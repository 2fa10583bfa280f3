import type { ProviderEventSink } from '@multi-context/core';
import { ProviderError } from '@multi-context/provider';
import { type ReplyMessage, rebuildError } from './reply-message.js';

/** What a message did to its job: still open, settled (the sink has its end), or its delivery was lost mid-answer. */
export type DeliveryState = 'open' | 'settled';

/**
 * Passes one job's messages to the attempt's sink, in `seq` order, exactly
 * once. A job taken again after its worker stalled speaks with a new token:
 * if the first worker had not sent anything yet, the new one simply takes
 * over; if it had, the pieces already shown cannot be taken back, so the
 * attempt fails with a retryable error and the run retries it (its
 * `task:retry` tells subscribers to drop the text they showed).
 */
export class JobDelivery {
  readonly #sink: ProviderEventSink;
  #token: string | undefined;
  #nextSeq = 0;

  constructor(sink: ProviderEventSink) {
    this.#sink = sink;
  }

  /** Ends the attempt with `error` (the executor is closing). */
  fail(error: Error): void {
    this.#sink.error(error);
  }

  /** Takes one message of this job. Returns `'settled'` once the sink has had its end. */
  receive(message: ReplyMessage): DeliveryState {
    if (this.#token !== message.token) {
      if (this.#token !== undefined && this.#nextSeq > 0) {
        this.#sink.error(
          new ProviderError({
            message: `The worker making this call was lost after it had sent part of the answer; worker ${message.worker} took the job again.`,
            retryable: true,
          }),
        );
        return 'settled';
      }
      this.#token = message.token;
      this.#nextSeq = 0;
      // The run puts it on the task's retry or end event.
      this.#sink.servedBy?.(message.worker);
    }
    // A message sent twice (never expected from a stream) is dropped, so the sink sees each once.
    if (message.seq !== this.#nextSeq) return 'open';
    this.#nextSeq += 1;
    switch (message.kind) {
      case 'event':
        this.#sink.next(message.event);
        return 'open';
      case 'error':
        this.#sink.error(rebuildError(message.error, message.worker));
        return 'settled';
      case 'complete':
        this.#sink.complete();
        return 'settled';
    }
  }
}
