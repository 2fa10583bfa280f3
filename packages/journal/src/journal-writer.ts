import type { RunEvent } from '@multi-context/events';
import type { InputValue, Workflow } from '@multi-context/workflow';
import type { Observable } from 'rxjs';
import type { defaultJournalDir } from './journal-paths.js';
import type { JournalWriteError } from './journal-write-error.js';

/**
 * What a journal records: a run's id, its workflow and its event stream. A
 * `WorkflowRun` of `@multi-context/core` is one; so is anything else of this
 * shape (this package does not depend on core).
 */
export interface JournalableRun {
  readonly runId: string;
  readonly workflow: Workflow;
  readonly events$: Observable<RunEvent>;
}

/** Options of `attachJournal`. */
export interface AttachJournalOptions {
  /** The journal folder; the run's journal is `<dir>/<runId>/events.jsonl`. Default: {@link defaultJournalDir}. */
  dir?: string;
  /**
   * Whether to `fdatasync` at each group commit (see `attachJournal`).
   * Default `true`. `false` still writes every event in order, but leaves it
   * to the OS when the data reaches the disk: it survives the process dying,
   * not the machine.
   */
  fsync?: boolean;
  /**
   * Append to the run's existing journal instead of creating one: for a
   * resumed run, whose events continue the journal's `seq`. The journal must
   * be of the same run id and workflow hash, and must not end with a
   * `run:end` other than a cancelled one; a torn last line is cut off before
   * appending. Default `false`, and then the journal must not exist yet.
   */
  append?: boolean;
  /**
   * The run's input values, recorded in the header of a new journal so a
   * resume can run with the same ones (ignored with `append`: the header is
   * written already). Leave out what must not be written to disk.
   */
  inputs?: Readonly<Record<string, InputValue>>;
}

/** A journal being written; see `attachJournal`. */
export interface JournalWriter {
  /** The journal file. */
  readonly path: string;
  /**
   * Resolves once the run's stream has ended and every event it emitted (up
   * to `run:end`) is written and synced, and the file is closed. Rejects with
   * a {@link JournalWriteError} as soon as a write fails, or when the events
   * do not continue the journal. Await it (or attach a handler): an
   * unobserved failure surfaces as an unhandled rejection, on purpose.
   */
  readonly done: Promise<void>;
  /**
   * Writes and syncs every event received so far, now, without waiting for
   * the next group commit.
   *
   * @throws {JournalWriteError} When the journal has failed.
   */
  flush(): Promise<void>;
}
