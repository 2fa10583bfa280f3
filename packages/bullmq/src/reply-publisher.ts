import type { ProviderEvent } from '@multi-context/provider';
import type { Redis } from 'ioredis';
import { type ReplyBody, type ReplyMessage, reportError } from './reply-message.js';

/** How long a reply stream outlives its last entry when its coordinator is gone and never deletes it. */
const REPLY_STREAM_TTL_SECONDS = 24 * 3600;

/**
 * Sends one job's messages to its coordinator's stream. Nothing waits for
 * the message before: one connection keeps their order, and a streamed
 * answer is not slowed by a round trip per piece. The messages of one turn
 * of the event loop (the last piece, the end) go as one pipeline: one write.
 */
export class ReplyPublisher {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #head: Omit<ReplyMessage, 'seq' | keyof ReplyBody>;
  readonly #writes: Promise<unknown>[] = [];
  /** The messages of this turn, not sent yet. */
  #batch: string[] = [];
  #refreshExpiry = false;
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
    this.#flush();
    await Promise.all(this.#writes);
  }

  #send(body: ReplyBody): void {
    const message = { ...this.#head, seq: this.#seq, ...body } as ReplyMessage;
    this.#seq += 1;
    this.#batch.push(JSON.stringify(message));
    // The end of the call refreshes the stream's expiry (in the same write): once per job, not per piece.
    if (body.kind !== 'event') this.#refreshExpiry = true;
    if (this.#batch.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const refresh = this.#refreshExpiry;
    this.#refreshExpiry = false;
    if (batch.length === 1 && !refresh) {
      this.#writes.push(this.#redis.xadd(this.#stream, '*', 'm', batch[0] as string));
      return;
    }
    const pipeline = this.#redis.pipeline();
    for (const text of batch) pipeline.xadd(this.#stream, '*', 'm', text);
    if (refresh) pipeline.expire(this.#stream, REPLY_STREAM_TTL_SECONDS);
    this.#writes.push(
      pipeline.exec().then((results) => {
        const failed = results?.find(([error]) => error !== null)?.[0];
        if (failed) throw failed;
      }),
    );
  }
}
