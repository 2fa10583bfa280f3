import type { ProviderEvent } from '@multi-context/provider';
import type { Redis } from 'ioredis';
import { type ReplyBody, type ReplyMessage, reportError } from './reply-message.js';

/** How long a reply stream outlives its last entry when its coordinator is gone and never deletes it. */
const REPLY_STREAM_TTL_SECONDS = 24 * 3600;

/**
 * Sends one job's messages to its coordinator's stream. Every XADD goes out
 * at once, without waiting for the one before: one connection keeps their
 * order, and a streamed answer is not slowed by a round trip per piece.
 */
export class ReplyPublisher {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #head: Omit<ReplyMessage, 'seq' | keyof ReplyBody>;
  readonly #writes: Promise<unknown>[] = [];
  #seq = 0;

  constructor(redis: Redis, stream: string, job: string, worker: string, token: string) {
    this.#redis = redis;
    this.#stream = stream;
    this.#head = { job, worker, token };
  }

  /** A provider event. */
  event(event: ProviderEvent): void {
    this.#send({ kind: 'event', event });
  }

  /** The call failed: its error, with a `ProviderError`'s fields. */
  error(error: unknown): void {
    this.#send({ kind: 'error', error: reportError(error) });
  }

  /** The answer is whole. */
  complete(): void {
    this.#send({ kind: 'complete' });
  }

  /** Resolves when every message is in Redis (rejects if one could not be written). */
  async flushed(): Promise<void> {
    await Promise.all(this.#writes);
  }

  #send(body: ReplyBody): void {
    const message = { ...this.#head, seq: this.#seq, ...body } as ReplyMessage;
    this.#seq += 1;
    this.#writes.push(this.#redis.xadd(this.#stream, '*', 'm', JSON.stringify(message)));
    // The end of the call refreshes the stream's expiry: once per job, not per piece.
    if (body.kind !== 'event')
      this.#writes.push(this.#redis.expire(this.#stream, REPLY_STREAM_TTL_SECONDS));
  }
}
