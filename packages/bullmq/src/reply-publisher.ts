import type { ProviderEvent } from '@multi-context/provider';
import { type ReplyBody, type ReplyMessage, reportError } from './reply-message.js';
import type { ReplyWriter } from './reply-writer.js';

/**
 * Sends one job's messages to its coordinator's stream, through the
 * worker's {@link ReplyWriter}. Nothing waits for the message before: the
 * writer keeps their order, and a streamed answer is not slowed by a round
 * trip per piece. The messages of one turn of the event loop (the last
 * piece, the end) go in one stream entry, with the other jobs' of that turn.
 */
export class ReplyPublisher {
  readonly #writer: ReplyWriter;
  readonly #stream: string;
  /** `{"job":…,"worker":…,"token":…,` : the start of every message's JSON, made once. */
  readonly #head: string;
  /** The writes of this job's messages: each entry's once. */
  readonly #writes: Promise<void>[] = [];
  #seq = 0;

  constructor(writer: ReplyWriter, stream: string, job: string, worker: string, token: string) {
    this.#writer = writer;
    this.#stream = stream;
    const head: Omit<ReplyMessage, 'seq' | keyof ReplyBody> = { job, worker, token };
    this.#head = `${JSON.stringify(head).slice(0, -1)},`;
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
    // The JSON of `{ job, worker, token, seq, ...body }`, from the head made once: a worker sends
    // a message for every piece of every answer, and building each as an object first showed in
    // its CPU profile.
    const text = `${this.#head}"seq":${this.#seq},${JSON.stringify(body).slice(1)}`;
    this.#seq += 1;
    // The end of a call may refresh the stream's expiry (in the same write); never a piece.
    const written = this.#writer.write(this.#stream, text, body.kind !== 'event');
    if (this.#writes.at(-1) !== written) this.#writes.push(written);
  }
}
