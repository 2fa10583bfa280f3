/** How long a reply stream outlives its last refresh when its coordinator is gone and never deletes it. */
export const REPLY_STREAM_TTL_SECONDS = 24 * 3600;

/** How often one worker refreshes the expiry of a stream it answers on. */
const REFRESH_EVERY_MS = 60_000;

/** Past this many streams remembered, the ones not refreshed for a while are forgotten. */
const MAX_REMEMBERED = 1_000;

/**
 * Which reply streams a worker should refresh the expiry of now: each at
 * most once a minute. An `EXPIRE` with every answer was a second command per
 * job for a deadline a day away; once a minute keeps the stream alive while
 * its coordinator gets answers, and lets it go a day after the last one.
 */
export class StreamExpiry {
  readonly #refreshed = new Map<string, number>();
  readonly #now: () => number;

  /** @param now - The clock, for tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Whether `stream`'s expiry is due; when it is, it counts as refreshed from now. */
  due(stream: string): boolean {
    const now = this.#now();
    const last = this.#refreshed.get(stream);
    if (last !== undefined && now - last < REFRESH_EVERY_MS) return false;
    this.#refreshed.set(stream, now);
    if (this.#refreshed.size > MAX_REMEMBERED) {
      for (const [key, at] of this.#refreshed)
        if (now - at >= REFRESH_EVERY_MS) this.#refreshed.delete(key);
    }
    return true;
  }
}
