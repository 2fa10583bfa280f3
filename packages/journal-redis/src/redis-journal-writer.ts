import type { InputValue } from '@multi-context/workflow';
import type { RedisJournalConnection } from './redis-connection.js';
import type { RedisJournalWriteError } from './redis-journal-write-error.js';

/** Options of `attachRedisJournal`. */
export interface AttachRedisJournalOptions {
  /**
   * Where Redis is: a `redis://` URL, or an ioredis client (the writer writes
   * on a connection of its own, `duplicate()`d from it, and leaves yours open).
   */
  redis: RedisJournalConnection;
  /** The prefix of the journal's keys; default `multi-context:journal`. */
  prefix?: string;
  /**
   * How long Redis may leave a write unanswered (it is down, restarting or
   * out of reach) before the writer gives up, in milliseconds. Default 30 000.
   * Shorter outages cost nothing: the writes wait, and are sent in order once
   * Redis is back.
   */
  unreachableLimitMs?: number;
  /**
   * Append to the run's existing journal instead of creating one: for a
   * resumed run, whose events continue the journal's `seq`. The journal must
   * be of the same run id and workflow hash, and must not end with a
   * `run:end` other than a cancelled one. Default `false`, and then the run
   * must have no journal yet.
   */
  append?: boolean;
  /**
   * The run's input values, recorded in the header of a new journal so a
   * resume can run with the same ones (ignored with `append`).
   */
  inputs?: Readonly<Record<string, InputValue>>;
}

/** A journal being written to Redis; see `attachRedisJournal`. */
export interface RedisJournalWriter {
  /** The run's stream, as messages name it: `redis://host:port key` (no password). */
  readonly location: string;
  /**
   * Resolves once the run's stream has ended and every event it emitted (up
   * to `run:end`) is acknowledged by Redis, and the writer's connection is
   * closed. Rejects with a {@link RedisJournalWriteError} (a
   * `JournalWriteError`) as soon as a write fails, Redis stays unreachable
   * longer than `unreachableLimitMs`, or the events do not continue the
   * journal. Await it (or attach a handler): an unobserved failure surfaces
   * as an unhandled rejection, on purpose.
   */
  readonly done: Promise<void>;
  /**
   * Writes every event received so far, now, and resolves once Redis has
   * acknowledged them (the header too, for a new journal).
   *
   * @throws {RedisJournalWriteError} When the journal has failed.
   */
  flush(): Promise<void>;
}
