import type { RunEvent } from '@multi-context/events';
import {
  hashWorkflow,
  JOURNAL_FORMAT_VERSION,
  JOURNAL_KIND,
  type JournalableRun,
  type JournalHeader,
  type JournalWriteErrorCode,
} from '@multi-context/journal';
import type { Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import { EVENT_FIELD, readRedisRecords } from './read-redis-records.js';
import { closeRedis, openOwnRedis, redisLocation, redisTarget } from './redis-connection.js';
import {
  DEFAULT_REDIS_JOURNAL_PREFIX,
  type RedisJournalKeys,
  redisJournalKeys,
  streamIdOf,
} from './redis-journal-keys.js';
import { RedisJournalWriteError } from './redis-journal-write-error.js';
import type { AttachRedisJournalOptions, RedisJournalWriter } from './redis-journal-writer.js';

/** How long Redis may leave a write unanswered by default. */
const DEFAULT_UNREACHABLE_LIMIT_MS = 30_000;

/** What Redis answers an XADD whose id is not above the stream's last: that entry was written already. */
const DUPLICATE_ID = /equal or smaller than the target stream top item/;

/**
 * Subscribes to `run.events$` and writes every event to the run's journal in
 * Redis, as `attachJournal()` of `@multi-context/journal` writes a file:
 * attach it right after `orchestrator.run()` (or `resume()`), before the run
 * starts, so it sees the first event.
 *
 * The journal is a header key (the JSON of the file journal's first line), a
 * stream holding every event in order (the event of `seq` n as the entry
 * `0-<n + 1>`, its JSON text in the field `event`), and the run's id in a
 * sorted set of runs by creation time, for listing. Events are written in
 * order by one chain of pipelined `XADD`s, the events of each turn of the
 * event loop together (group commit). The explicit ids make a write safe to
 * repeat: when Redis restarts or the connection drops, ioredis sends the
 * unanswered writes again once it is back, and an entry Redis had already
 * taken is refused as a duplicate id, which the writer takes as written
 * (after checking that the stored entry is the same event). With Redis's
 * append-only file (`appendfsync always`), an acknowledged event survives a
 * Redis restart.
 *
 * When Redis leaves a write unanswered for longer than `unreachableLimitMs`,
 * the writer stops and `done` rejects with a {@link RedisJournalWriteError}
 * (`code: 'io'`, `unreachable: true`) that says which event was the last
 * Redis acknowledged. Those events stay: once Redis is back, the run can be
 * resumed from them. As with a file journal, the run itself goes on.
 *
 * @example
 * const run = orchestrator.run(workflow);
 * const journal = attachRedisJournal(run, { redis: 'redis://127.0.0.1:6379' });
 * await run.result;
 * await journal.done; // every event up to run:end is in Redis
 */
export function attachRedisJournal(
  run: JournalableRun,
  options: AttachRedisJournalOptions,
): RedisJournalWriter {
  return new RedisRunJournal(run, options);
}

/** One event waiting to be written: its `seq` and its JSON text, made when it arrived. */
interface PendingEvent {
  seq: number;
  text: string;
}

class RedisRunJournal implements RedisJournalWriter {
  readonly location: string;
  readonly done: Promise<void>;
  readonly #keys: RedisJournalKeys;
  readonly #target: string;
  readonly #client: Redis;
  readonly #limitMs: number;
  readonly #subscription: Subscription;
  #settle!: (error?: RedisJournalWriteError) => void;
  #pending: PendingEvent[] = [];
  /** Every Redis operation, in order: opening, each batch of writes, closing. Never rejects. */
  #chain: Promise<void>;
  /** The write queued on the chain and not started yet: it will take every pending event. */
  #queuedWrite: Promise<void> | undefined;
  #turnScheduled = false;
  /** The `seq` the first event must have: 0 for a new journal, the journal's next for an append. */
  #firstSeq: number | undefined;
  #firstReceived: number | undefined;
  #lastSeq: number | undefined;
  /** The `seq` of the last event Redis acknowledged (-1: none yet; for an append, the journal's last). */
  #writtenSeq = -1;
  #ending = false;
  #failure: RedisJournalWriteError | undefined;

  constructor(run: JournalableRun, options: AttachRedisJournalOptions) {
    this.#keys = redisJournalKeys(run.runId, options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX);
    this.location = redisLocation(options.redis, this.#keys.events);
    this.#target = redisTarget(options.redis);
    this.#limitMs = options.unreachableLimitMs ?? DEFAULT_UNREACHABLE_LIMIT_MS;
    this.#client = openOwnRedis(options.redis);
    this.#firstSeq = options.append ? undefined : 0;
    this.done = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#chain = this.#withinLimit(
      options.append ? this.#openExisting(run) : this.#create(run, options),
    ).catch((error: unknown) => this.#fail(error));
    this.#subscription = run.events$.subscribe({
      next: (event) => this.#record(event),
      // A run whose stream errors emitted no run:end: keep what it did emit.
      error: () => this.#end(undefined),
      complete: () => this.#end(undefined),
    });
    // The stream may have ended during subscribe().
    if (this.#ending) this.#subscription.unsubscribe();
  }

  flush(): Promise<void> {
    return this.#commit().then(() => {
      if (this.#failure !== undefined) throw this.#failure;
    });
  }

  #record(event: RunEvent): void {
    if (this.#ending) return;
    const expected = this.#lastSeq === undefined ? this.#firstSeq : this.#lastSeq + 1;
    if (expected !== undefined && event.seq !== expected) {
      this.#end(this.#outOfOrder(`expected seq ${expected}, received ${event.seq}`));
      return;
    }
    this.#firstReceived ??= event.seq;
    this.#lastSeq = event.seq;
    // Serialised now: the host may change run:end's result once it has it, and
    // every event must be written as it was emitted.
    this.#pending.push({ seq: event.seq, text: JSON.stringify(event) });
    if (!this.#turnScheduled) {
      this.#turnScheduled = true;
      setImmediate(() => {
        this.#turnScheduled = false;
        void this.#commit();
      });
    }
  }

  /** Queues a write of every pending event unless one is queued already. */
  #commit(): Promise<void> {
    if (this.#queuedWrite === undefined) {
      this.#chain = this.#chain
        .then(() => this.#write())
        .catch((error: unknown) => this.#fail(error));
      this.#queuedWrite = this.#chain;
    }
    return this.#queuedWrite;
  }

  async #write(): Promise<void> {
    this.#queuedWrite = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0 || this.#failure !== undefined) return;
    if (batch[0]!.seq !== this.#writtenSeq + 1) {
      // Only an append whose first event came before its journal was read, and does not continue it, gets here.
      throw this.#outOfOrder(`expected seq ${this.#writtenSeq + 1}, received ${batch[0]!.seq}`);
    }
    const pipeline = this.#client.pipeline();
    for (const { seq, text } of batch)
      pipeline.xadd(this.#keys.events, streamIdOf(seq), EVENT_FIELD, text);
    const results = (await this.#withinLimit(pipeline.exec())) ?? [];
    for (const [index, { seq, text }] of batch.entries()) {
      const error = results[index]?.[0];
      if (error != null) {
        if (!DUPLICATE_ID.test(error.message)) throw error;
        await this.#withinLimit(this.#checkWritten(seq, text));
      }
      this.#writtenSeq = seq;
    }
  }

  /** A refused duplicate id: the entry Redis holds must be this very event, or another writer is at work. */
  async #checkWritten(seq: number, text: string): Promise<void> {
    const id = streamIdOf(seq);
    const [entry] = (await this.#client.xrange(this.#keys.events, id, id)) as [string, string[]][];
    const stored = entry?.[1][entry[1].indexOf(EVENT_FIELD) + 1];
    if (stored === text) return;
    throw this.#error(
      'out-of-order',
      `the stream already holds another event of seq ${seq}: another process writes this run's journal.`,
    );
  }

  /** Rejects with an unreachable failure once `limitMs` pass without `operation` ending. */
  #withinLimit<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new RedisJournalWriteError({
            code: 'io',
            path: this.location,
            reason: `Redis at ${this.#target} did not answer for ${this.#limitMs} ms (the writer's unreachableLimitMs), so the journal stopped; ${this.#howFar()}`,
            writtenSeq: this.#writtenSeq,
            unreachable: true,
          }),
        );
      }, this.#limitMs);
    });
    return Promise.race([operation, limit]).finally(() => clearTimeout(timer));
  }

  #howFar(): string {
    return this.#writtenSeq < 0
      ? 'it holds no event of this session.'
      : `it holds the events up to seq ${this.#writtenSeq}, which a resume continues from once Redis is back.`;
  }

  /** The stream ended, or its events cannot be journaled: write what came, close, settle `done`. */
  #end(stop?: RedisJournalWriteError): void {
    if (this.#ending) return;
    this.#ending = true;
    // Undefined while subscribe() is still running; the constructor unsubscribes then.
    this.#subscription?.unsubscribe();
    if (stop === undefined && this.#firstReceived === undefined)
      stop = this.#outOfOrder('the run ended before any event reached the journal');
    void this.#commit();
    this.#chain = this.#chain
      .then(() => closeRedis(this.#client))
      .then(() => this.#settle(this.#failure ?? stop));
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    const failure = RedisJournalWriteError.isInstance(error)
      ? error
      : this.#error(
          'io',
          `Redis refused a write: ${(error as Error).message ?? String(error)}`,
          error,
        );
    this.#failure = failure;
    this.#ending = true;
    this.#subscription?.unsubscribe();
    this.#pending = [];
    // Drops the writes still queued for a Redis that is not there, so none lands later.
    this.#client.disconnect();
    this.#settle(failure);
  }

  #error(code: JournalWriteErrorCode, reason: string, cause?: unknown): RedisJournalWriteError {
    return new RedisJournalWriteError({
      code,
      path: this.location,
      reason,
      cause,
      writtenSeq: this.#writtenSeq,
    });
  }

  #outOfOrder(what: string): RedisJournalWriteError {
    return this.#error(
      'out-of-order',
      `the events do not continue the journal (${what}); attach the journal right after run(), before the run starts.`,
    );
  }

  async #create(run: JournalableRun, options: AttachRedisJournalOptions): Promise<void> {
    const header: JournalHeader = {
      kind: JOURNAL_KIND,
      formatVersion: JOURNAL_FORMAT_VERSION,
      runId: run.runId,
      workflowHash: hashWorkflow(run.workflow),
      workflow: run.workflow,
      createdAt: Date.now(),
    };
    if (options.inputs !== undefined) header.inputs = { ...options.inputs };
    const created = await this.#client.set(this.#keys.header, JSON.stringify(header), 'NX');
    if (created === null) {
      throw this.#error(
        'journal-exists',
        `run "${run.runId}" already has a journal; attach with { append: true } to continue it.`,
      );
    }
    await this.#client.zadd(this.#keys.runs, header.createdAt, run.runId);
  }

  async #openExisting(run: JournalableRun): Promise<void> {
    let records: Awaited<ReturnType<typeof readRedisRecords>>;
    try {
      records = await readRedisRecords(this.#client, this.#keys, this.location);
    } catch (error) {
      throw this.#error(
        'journal-mismatch',
        `the journal cannot be continued: ${(error as Error).message}`,
        error,
      );
    }
    if (records === undefined) {
      throw this.#error('journal-missing', `run "${run.runId}" has no journal to append to.`);
    }
    const { header, result } = records.checker.contents(records.events);
    if (header.runId !== run.runId || header.workflowHash !== hashWorkflow(run.workflow)) {
      throw this.#error(
        'journal-mismatch',
        header.runId !== run.runId
          ? `the journal is of run "${header.runId}", not "${run.runId}".`
          : 'the journal was written for another workflow (its workflowHash differs).',
      );
    }
    const lastSeq = records.checker.lastSeq;
    this.#writtenSeq = lastSeq;
    const status = result?.status;
    if (status !== undefined && status !== 'cancelled') {
      throw this.#error(
        'run-ended',
        `run "${run.runId}" already ended (${status}); there is nothing to continue.`,
      );
    }
    this.#firstSeq = lastSeq + 1;
    const received = this.#firstReceived;
    if (received !== undefined && received !== lastSeq + 1) {
      throw this.#outOfOrder(`expected seq ${lastSeq + 1} first, received ${received}`);
    }
  }
}
