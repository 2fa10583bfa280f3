import { attachJournal, type JournalableRun } from '@multi-context/journal';

/** Where a run of the CLI is journaled. */
export interface RunJournalPlan {
  /** The journal folder: the run's journal is `<dir>/<runId>/events.jsonl`. */
  dir: string;
  /** Continue the run's journal (a resume) instead of creating it. */
  append: boolean;
}

/** A run's journal as the CLI watches it. */
export interface RunJournal {
  /** The journal file; undefined with `--no-journal`. */
  readonly path: string | undefined;
  /**
   * Resolves once every event up to `run:end` is written and synced and the
   * file closed: to undefined, or to the error when the journal failed (which
   * `onFailure` was told about at once). Never rejects.
   */
  readonly settled: Promise<Error | undefined>;
}

/**
 * Journals `run` (right after it was started, before its first event) with
 * the journal's default durability: every event is written on the next turn
 * of the event loop, and each turn with a `task:end` or `run:end` is synced,
 * so a task whose end was journaled is never paid for again after a crash.
 *
 * A failing journal does not stop the run (its answers are paid for and are
 * shown), but the user is told at once through `onFailure`: the run cannot be
 * resumed from what was written.
 */
export function journalRun(
  run: JournalableRun,
  plan: RunJournalPlan | undefined,
  onFailure: (message: string) => void,
): RunJournal {
  if (plan === undefined) return { path: undefined, settled: Promise.resolve(undefined) };
  const writer = attachJournal(run, { dir: plan.dir, append: plan.append });
  const settled = writer.done.then(
    () => undefined,
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      onFailure(`the journal failed, so this run cannot be resumed: ${failure.message}`);
      return failure;
    },
  );
  return { path: writer.path, settled };
}
