import type { ProviderEvent } from '@multi-context/provider';
import type { Redis } from 'ioredis';
import { type ReplyBody, type ReplyMessage, reportError } from './reply-message.js';
import { REPLY_STREAM_TTL_SECONDS, type StreamExpiry } from './stream-expiry.js';

/**
 * Sends one job's messages to its coordinator's stream. Nothing waits for
 * the message before: one connection keeps their order, and a streamed
 * answer is not slowed by a round trip per piece. The messages of one turn
 * of the event loop (the last piece, the end) go as one stream entry with a
 * field `m` per message: one `XADD`, one write, one entry for the
 * coordinator to read.
 */
export class ReplyPublisher {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #head: Omit<ReplyMessage, 'seq' | keyof ReplyBody>;
  readonly #expiry: StreamExpiry;
  readonly #writes: Promise<unknown>[] = [];
  /** The messages of this turn, not sent yet. */
  #batch: string[] = [];
  #refreshExpiry = false;
  #seq = 0;

  constructor(
    redis: Redis,
    expiry: StreamExpiry,
    stream: string,
    job: string,
    worker: string,
    token: string,
  ) {
    this.#redis = redis;
    this.#expiry = expiry;
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
    // The end of a call may refresh the stream's expiry (in the same write); never a piece.
    if (body.kind !== 'event') this.#refreshExpiry = true;
    if (this.#batch.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const fields: string[] = [];
    for (const text of batch) fields.push('m', text);
    const refresh = this.#refreshExpiry && this.#expiry.due(this.#stream);
    this.#refreshExpiry = false;
    if (!refresh) {
      this.#writes.push(this.#redis.xadd(this.#stream, '*', ...fields));
      return;
    }
    const pipeline = this.#redis.pipeline();
    pipeline.xadd(this.#stream, '*', ...fields);
    pipeline.expire(this.#stream, REPLY_STREAM_TTL_SECONDS);
    this.#writes.push(
      pipeline.exec().then((results) => {
        const failed = results?.find(([error]) => error !== null)?.[0];
        if (failed) throw failed;
      }),
    );
  }
}
