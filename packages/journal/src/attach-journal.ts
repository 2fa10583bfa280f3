import { type FileHandle, open, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import type { InputValue } from '@multi-context/workflow';
import type { Subscription } from 'rxjs';
import { hashWorkflow } from './hash-workflow.js';
import { JOURNAL_FORMAT_VERSION, JOURNAL_KIND, type JournalHeader } from './journal-format.js';
import { defaultJournalDir, isUsableRunId, journalPath } from './journal-paths.js';
import { JournalReadError } from './journal-read-error.js';
import { JournalWriteError } from './journal-write-error.js';
import type { AttachJournalOptions, JournalableRun, JournalWriter } from './journal-writer.js';
import { toJsonLines } from './json-lines.js';
import { makePrivateFile, makePrivateRunDir, PRIVATE_FILE_MODE } from './private-files.js';
import { scanJournal } from './read-journal.js';

/**
 * Subscribes to `run.events$` and appends every event, as one JSON line, to
 * the run's journal: `<dir>/<runId>/events.jsonl`, whose first line is a
 * header with the format version, the workflow and its hash. Attach it right
 * after `orchestrator.run()` (before the run starts on the next microtask), so
 * it sees `run:start`.
 *
 * Durability (group commit): events are buffered in memory and written in
 * order by one chain of writes that never overlap. Every event is handed to
 * the OS on the next turn of the event loop (`setImmediate`; a burst of more
 * than 512 events is serialised 512 a turn first, so the run's own callbacks
 * are not held back), so what was emitted survives the process being killed
 * after that write. A `task:end`, a `task:tool-result` (a tool call may act
 * on the world: a resume must find its result, not run it again) or
 * `run:end` also asks for an `fdatasync` with that write, so all the task ends
 * of one turn share one sync: a task end is on disk, surviving a power loss,
 * once the write of the turn after it is done. `run:end` is always synced
 * before `done` resolves. A crash loses at most the events since the last
 * write (process crash) or the last sync (machine crash); a task whose
 * `task:end` was lost is run again on resume.
 *
 * Events are serialised when they are written (a batch at a time, which is
 * much cheaper than one event at a time), and all at once on `run:end`,
 * before the host can touch the result. An event must not be changed after
 * it is emitted: it is shared by every subscriber.
 *
 * @example
 * const run = orchestrator.run(workflow);
 * const journal = attachJournal(run); // .multi-context/runs/<runId>/events.jsonl
 * const result = await run.result;
 * await journal.done; // everything up to run:end is on disk
 */
export function attachJournal(
  run: JournalableRun,
  options: AttachJournalOptions = {},
): JournalWriter {
  return new RunJournal(run, options);
}

/** How many events are serialised before the journal lets the event loop turn (about half a millisecond of work). */
const SERIALIZE_SLICE = 512;

/** Resolves on the next turn of the event loop, after the timers that are due. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class RunJournal implements JournalWriter {
  readonly path: string;
  readonly done: Promise<void>;
  readonly #fsync: boolean;
  readonly #subscription: Subscription;
  #settle!: (error?: JournalWriteError) => void;
  #handle: FileHandle | undefined;
  /** Events received and not serialised yet. */
  #pending: RunEvent[] = [];
  /** JSON lines of events received, serialised and not yet handed to a write. */
  #serialized: Buffer[] = [];
  /** The `run:end` line, serialised when it arrived (encoded when written), written after every event before it. */
  #runEndLine: string | undefined;
  /** Whether a `task:end`, `task:tool-result` or `run:end` received since the last write asks for a sync. */
  #syncWanted = false;
  /** Whether bytes were written since the last sync. */
  #unsynced = false;
  /** Every file operation, in order: opening, each write, closing. Never rejects. */
  #chain: Promise<void>;
  /** The write queued on the chain and not started yet: it will take every pending line. */
  #queuedWrite: Promise<void> | undefined;
  #turnScheduled = false;
  /** The `seq` the first event must have: 0 for a new journal, the journal's next for an append. */
  #firstSeq: number | undefined;
  /** The `seq` of the first and of the last event received. */
  #firstReceived: number | undefined;
  #lastSeq: number | undefined;
  #ending = false;
  #failure: JournalWriteError | undefined;

  constructor(run: JournalableRun, options: AttachJournalOptions) {
    const dir = options.dir ?? defaultJournalDir();
    this.path = journalPath(run.runId, dir);
    this.#fsync = options.fsync ?? true;
    // An append learns its first seq from the journal, once read.
    this.#firstSeq = options.append ? undefined : 0;
    this.done = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#chain = (
      options.append ? this.#openExisting(run) : this.#create(run, dir, options.inputs)
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
    return this.#commit(true).then(() => {
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
    if (event.type === 'run:end') {
      this.#syncWanted = true;
      // The host gets run:end's result right after this event, as `run.result`,
      // and may change it: serialise that one line now, so the journal holds it
      // as emitted. The events before it are seen by subscribers only, and are
      // serialised with the next batch.
      this.#runEndLine = JSON.stringify(event);
    } else {
      this.#pending.push(event);
      // A tool's result too: a resume does not run a call whose result it finds.
      if (event.type === 'task:end' || event.type === 'task:tool-result') this.#syncWanted = true;
    }
    if (!this.#turnScheduled) {
      this.#turnScheduled = true;
      setImmediate(() => {
        this.#turnScheduled = false;
        void this.#commit(false);
      });
    }
  }

  /** Queues a write of every pending line (and a sync if asked for) unless one is queued already. */
  #commit(sync: boolean): Promise<void> {
    if (sync) this.#syncWanted = true;
    if (this.#queuedWrite === undefined) {
      this.#chain = this.#chain
        .then(() => this.#write())
        .catch((error: unknown) => this.#fail(error));
      this.#queuedWrite = this.#chain;
    }
    return this.#queuedWrite;
  }

  /**
   * Serialises the pending events a slice at a time, letting the event loop
   * turn between slices while more than a slice is left. A phase's answers
   * come in bursts spread over a few milliseconds' timers; serialising a
   * burst's thousands of events in one go would hold back the rest of the
   * burst (and so the next phase) by as long, while in slices the run's own
   * callbacks go first and the journal works in the time the run waits.
   */
  async #serializeInSlices(): Promise<void> {
    while (this.#pending.length > SERIALIZE_SLICE) {
      // The slices are taken from a batch set aside, so the events that arrive meanwhile
      // (they go to #pending) are not copied again with every slice.
      const batch = this.#pending;
      this.#pending = [];
      for (let start = 0; start < batch.length; start += SERIALIZE_SLICE) {
        this.#serialized.push(...toJsonLines(batch.slice(start, start + SERIALIZE_SLICE)));
        if (start + SERIALIZE_SLICE < batch.length) await nextTurn();
      }
    }
  }

  #serialize(): void {
    if (this.#pending.length > 0) {
      this.#serialized.push(...toJsonLines(this.#pending));
      this.#pending = [];
    }
    // run:end is the last event: its line goes after everything before it.
    if (this.#runEndLine !== undefined) {
      this.#serialized.push(Buffer.from(`${this.#runEndLine}\n`, 'utf8'));
      this.#runEndLine = undefined;
    }
  }

  async #write(): Promise<void> {
    this.#queuedWrite = undefined;
    await this.#serializeInSlices();
    this.#serialize();
    const buffers = this.#serialized;
    this.#serialized = [];
    const sync = this.#syncWanted && this.#fsync;
    this.#syncWanted = false;
    const handle = this.#handle;
    if (handle === undefined) return; // failed or closed
    if (buffers.length > 0) {
      await writeAll(handle, buffers);
      this.#unsynced = true;
    }
    if (sync && this.#unsynced) {
      await handle.datasync();
      this.#unsynced = false;
    }
  }

  /** The stream ended, or its events cannot be journaled: write what came, close, settle `done`. */
  #end(stop: JournalWriteError | undefined): void {
    if (this.#ending) return;
    this.#ending = true;
    // Undefined while subscribe() is still running; the constructor unsubscribes then.
    this.#subscription?.unsubscribe();
    if (stop === undefined && this.#firstReceived === undefined) {
      stop = this.#outOfOrder('the run ended before any event reached the journal');
    }
    void this.#commit(true);
    this.#chain = this.#chain
      .then(async () => {
        const handle = this.#handle;
        this.#handle = undefined;
        await handle?.close();
      })
      .catch((error: unknown) => this.#fail(error))
      .then(() => this.#settle(this.#failure ?? stop));
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    const failure = JournalWriteError.isInstance(error)
      ? error
      : new JournalWriteError({
          code: 'io',
          path: this.path,
          reason: (error as Error).message ?? String(error),
          cause: error,
        });
    this.#failure = failure;
    this.#ending = true;
    this.#subscription?.unsubscribe();
    this.#pending = [];
    this.#serialized = [];
    this.#runEndLine = undefined;
    const handle = this.#handle;
    this.#handle = undefined;
    // The failure is what gets reported; a close that fails too adds nothing.
    handle?.close().catch(() => {});
    this.#settle(failure);
  }

  #outOfOrder(what: string): JournalWriteError {
    return new JournalWriteError({
      code: 'out-of-order',
      path: this.path,
      reason: `the events do not continue the journal (${what}); attach the journal right after run(), before the run starts.`,
    });
  }

  async #create(
    run: JournalableRun,
    dir: string,
    inputs: Readonly<Record<string, InputValue>> | undefined,
  ): Promise<void> {
    if (!isUsableRunId(run.runId)) throw this.#invalidRunId(run.runId);
    const runDir = path.dirname(this.path);
    // A journal holds every prompt and answer: folders 0700, the file 0600.
    await makePrivateRunDir(runDir);
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'wx', PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new JournalWriteError({
        code: 'journal-exists',
        path: this.path,
        reason: `run "${run.runId}" already has a journal; attach with { append: true } to continue it.`,
        cause: error,
      });
    }
    this.#handle = handle;
    await makePrivateFile(handle);
    const header: JournalHeader = {
      kind: JOURNAL_KIND,
      formatVersion: JOURNAL_FORMAT_VERSION,
      runId: run.runId,
      workflowHash: hashWorkflow(run.workflow),
      workflow: run.workflow,
      createdAt: Date.now(),
    };
    if (inputs !== undefined) header.inputs = { ...inputs };
    await writeAll(handle, [Buffer.from(`${JSON.stringify(header)}\n`, 'utf8')]);
    this.#unsynced = true;
    // The new file's name must survive a power loss as well as its data.
    if (this.#fsync) {
      await syncDirectory(runDir);
      await syncDirectory(dir);
    }
  }

  async #openExisting(run: JournalableRun): Promise<void> {
    if (!isUsableRunId(run.runId)) throw this.#invalidRunId(run.runId);
    let scanned: Awaited<ReturnType<typeof scanJournal>>;
    try {
      scanned = await scanJournal(this.path);
    } catch (error) {
      const missing =
        JournalReadError.isInstance(error) &&
        (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      throw new JournalWriteError({
        code: missing ? 'journal-missing' : 'journal-mismatch',
        path: this.path,
        reason: missing
          ? `run "${run.runId}" has no journal to append to.`
          : `the journal cannot be continued: ${(error as Error).message}`,
        cause: error,
      });
    }
    const { contents, wholeBytes, missingNewline } = scanned;
    const { header } = contents;
    if (header.runId !== run.runId || header.workflowHash !== hashWorkflow(run.workflow)) {
      throw new JournalWriteError({
        code: 'journal-mismatch',
        path: this.path,
        reason:
          header.runId !== run.runId
            ? `the journal is of run "${header.runId}", not "${run.runId}".`
            : 'the journal was written for another workflow (its workflowHash differs).',
      });
    }
    const status = contents.result?.status;
    if (status !== undefined && status !== 'cancelled') {
      throw new JournalWriteError({
        code: 'run-ended',
        path: this.path,
        reason: `run "${run.runId}" already ended (${status}); there is nothing to continue.`,
      });
    }
    const firstSeq = (contents.events.at(-1)?.seq ?? -1) + 1;
    this.#firstSeq = firstSeq;
    const received = this.#firstReceived;
    if (received !== undefined && received !== firstSeq) {
      throw this.#outOfOrder(`expected seq ${firstSeq} first, received ${received}`);
    }
    // A torn last line would become a corrupt middle line once more records follow it.
    if (contents.truncated) await truncate(this.path, wholeBytes);
    const handle = await open(this.path, 'a');
    this.#handle = handle;
    // A journal written before journals were private becomes private once it is continued.
    await makePrivateRunDir(path.dirname(this.path));
    await makePrivateFile(handle);
    if (missingNewline) {
      await writeAll(handle, [Buffer.from('\n', 'utf8')]);
      this.#unsynced = true;
    }
  }

  #invalidRunId(runId: string): JournalWriteError {
    return new JournalWriteError({
      code: 'invalid-run-id',
      path: this.path,
      reason: `the run id ${JSON.stringify(runId)} cannot name a folder.`,
    });
  }
}

/**
 * Writes every byte of `buffers`, in order, at the end of the file, however
 * many writes it takes: one gathering write per batch, neither a syscall per
 * buffer nor a copy of the batch into one buffer.
 */
async function writeAll(handle: FileHandle, buffers: readonly Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest);
    let written = 0;
    while (written < rest.length && bytesWritten >= rest[written]!.length) {
      bytesWritten -= rest[written]!.length;
      written++;
    }
    rest = rest.slice(written);
    if (bytesWritten > 0) rest = [rest[0]!.subarray(bytesWritten), ...rest.slice(1)];
  }
}

/** Syncs a folder, so the names it holds are on disk. Windows cannot open a folder to sync it. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
