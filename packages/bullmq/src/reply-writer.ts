import type { Redis } from 'ioredis';
import { REPLY_STREAM_TTL_SECONDS, type StreamExpiry } from './stream-expiry.js';

/**
 * Messages in one stream entry at most: a worker with hundreds of answers
 * streaming at once still writes entries of a bounded size.
 */
const MAX_MESSAGES_PER_ENTRY = 500;

/** The messages for one stream, gathered during one turn of the event loop. */
interface OpenEntry {
  fields: string[];
  /** An answer ended in it: the stream's expiry may be due. */
  ended: boolean;
  written: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes a worker's reply messages, for all its jobs at once. Every message
 * sent during one turn of the event loop (every answer that ended, every
 * piece that came, up to the loop's check phase) goes to its coordinator's
 * stream in one entry, with a field `m` per message, in the order sent; the
 * entries of all streams go in one write to Redis. A worker with many calls
 * in flight pays one socket write a turn instead of one a call: on a small
 * machine that write costs more than anything else the worker does for an
 * answer. One connection keeps the entries in the order they were written.
 */
export class ReplyWriter {
  readonly #redis: Redis;
  readonly #expiry: StreamExpiry;
  /** The entry being filled, per stream. */
  #open = new Map<string, OpenEntry>();
  /** Entries that are full, in the order they filled, written with the next flush. */
  #full: [string, OpenEntry][] = [];
  #scheduled = false;

  constructor(redis: Redis, expiry: StreamExpiry) {
    this.#redis = redis;
    this.#expiry = expiry;
  }

  /**
   * Adds a message (its JSON text) to `stream`'s next entry. `ends` says
   * that it is an answer's last message: the stream's expiry is then
   * refreshed with it when due. Resolves once the entry is in Redis; rejects
   * if it could not be written.
   */
  write(stream: string, text: string, ends: boolean): Promise<void> {
    let entry = this.#open.get(stream);
    if (entry === undefined) {
      entry = openEntry();
      this.#open.set(stream, entry);
    }
    entry.fields.push('m', text);
    if (ends) entry.ended = true;
    if (entry.fields.length >= 2 * MAX_MESSAGES_PER_ENTRY) {
      this.#open.delete(stream);
      this.#full.push([stream, entry]);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      // After the I/O of this turn: the answers that came in the same poll share the write.
      setImmediate(() => this.#flush());
    }
    return entry.written;
  }

  #flush(): void {
    this.#scheduled = false;
    const entries = [...this.#full, ...this.#open];
    this.#full = [];
    this.#open = new Map();
    if (entries.length === 0) return;
    const refresh = entries.filter(([stream, entry]) => entry.ended && this.#expiry.due(stream));
    if (entries.length === 1 && refresh.length === 0) {
      const [stream, entry] = entries[0]!;
      this.#redis.xadd(stream, '*', ...entry.fields).then(() => entry.resolve(), entry.reject);
      return;
    }
    // One write for them all: a pipeline is sent as one.
    const pipeline = this.#redis.pipeline();
    for (const [stream, entry] of entries) pipeline.xadd(stream, '*', ...entry.fields);
    for (const [stream] of refresh) pipeline.expire(stream, REPLY_STREAM_TTL_SECONDS);
    pipeline.exec().then(
      (results) => {
        entries.forEach(([, entry], index) => {
          const error = results?.[index]?.[0];
          if (error) entry.reject(error);
          else entry.resolve();
        });
      },
      (error: unknown) => {
        for (const [, entry] of entries) entry.reject(error);
      },
    );
  }
}

function openEntry(): OpenEntry {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const written = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A write nobody waits for (a job already given up) must not be an unhandled rejection.
  written.catch(() => {});
  return { fields: [], ended: false, written, resolve, reject };
}
