import type { Redis } from 'ioredis';

/** How long one XREAD waits for entries: also how long a reader that has nothing left to wait for lingers. */
const BLOCK_MS = 1000;
/** Entries per read: enough that a busy stream is drained in few round trips. */
const BATCH = 1000;
/** The pause before a failed read is tried again, so a Redis blip does not spin the loop. */
const RETRY_PAUSE_MS = 100;

/**
 * Reads one Redis stream in order with XREAD BLOCK on a connection of its
 * own (a blocked connection can do nothing else), while `wanted()` says there
 * is something to wait for; then stops, and starts again on `wake()`. Read
 * entries are trimmed away, so the stream holds only what was not read yet: a
 * slow reader makes it longer, never loses an entry.
 */
export class ReplyReader {
  readonly #redis: Redis;
  readonly #trimmer: Redis;
  readonly #key: string;
  readonly #wanted: () => boolean;
  readonly #onEntry: (text: string) => void;
  #lastId = '0-0';
  #loop: Promise<void> | undefined;
  #closed = false;

  /**
   * @param redis - The connection the reader blocks on: its own.
   * @param trimmer - A shared connection for the trims.
   * @param key - The stream.
   * @param wanted - Whether to keep reading.
   * @param onEntry - Called with each message's text, in stream order.
   */
  constructor(
    redis: Redis,
    trimmer: Redis,
    key: string,
    wanted: () => boolean,
    onEntry: (text: string) => void,
  ) {
    this.#redis = redis;
    this.#trimmer = trimmer;
    this.#key = key;
    this.#wanted = wanted;
    this.#onEntry = onEntry;
  }

  /** Starts reading, unless a read loop is already running. */
  wake(): void {
    if (this.#loop !== undefined || this.#closed) return;
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
      // Something became wanted while the loop was finishing its last read.
      if (this.#wanted()) this.wake();
    });
  }

  /** Stops reading at once, even in the middle of a blocked read, and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    // A client that is down keeps its pending read queued for a reconnect that disconnect() cancels:
    // that read never settles, so there is nothing to wait for.
    const up = this.#redis.status === 'ready';
    this.#redis.disconnect();
    if (up) await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed && this.#wanted()) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await this.#redis.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.#key,
          this.#lastId,
        )) as [string, [string, string[]][]][] | null;
      } catch {
        if (this.#closed) return;
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        this.#lastId = id;
        // An entry holds one message per field `m`, in the order the worker sent them.
        for (let i = 0; i + 1 < fields.length; i += 2)
          if (fields[i] === 'm') this.#onEntry(fields[i + 1] as string);
      }
      if (entries.length > 0 && !this.#closed) {
        // MINID drops the entries before the last one read: what is left is unread (and that one).
        this.#trimmer.xtrim(this.#key, 'MINID', this.#lastId).catch(() => {});
      }
    }
  }
}
