import { readdir } from 'node:fs/promises';
import type { JournalDirOptions } from './find-journal.js';
import { defaultJournalDir, journalPath } from './journal-paths.js';
import { JournalReadError } from './journal-read-error.js';
import type { JournalSummary } from './summarize-journal.js';
import { summarizeJournalFile } from './summarize-journal-file.js';

/** What {@link listJournals} found. */
export interface JournalListing {
  /** One summary per readable journal, newest run first. */
  runs: JournalSummary[];
  /** Journals that could not be read, with why: reported, never skipped in silence. */
  unreadable: JournalReadError[];
}

/**
 * The run history of a journal folder: a summary of every run's journal,
 * newest first, and the journals that could not be read.
 *
 * A journal is read only as far as its summary needs, one at a time: a
 * journal of up to a megabyte is read and checked in full; of a longer one,
 * the header, the first event and the last record are read and checked, and
 * the lines between are only looked at for `run:resume` (and, for a run that
 * has not ended, `task:end`), neither decoded nor checked. So a listing takes
 * little longer for runs of millions of events, and damage between the ends
 * of a long journal is found by `readJournal()`, not here.
 *
 * @example
 * const { runs, unreadable } = await listJournals();
 * for (const run of runs) console.log(run.runId, run.workflowName, run.status, `${run.succeeded}/${run.totalTasks}`);
 * for (const error of unreadable) console.warn(error.message);
 */
export async function listJournals(options: JournalDirOptions = {}): Promise<JournalListing> {
  const dir = options.dir ?? defaultJournalDir();
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadable: [] };
    throw error;
  }
  const runs: JournalSummary[] = [];
  const unreadable: JournalReadError[] = [];
  for (const runId of entries) {
    try {
      runs.push(await summarizeJournalFile(journalPath(runId, dir)));
    } catch (error) {
      if (!JournalReadError.isInstance(error)) throw error;
      // A folder without a journal file is not a run.
      if (error.code === 'unreadable-file' && isMissing(error.cause)) continue;
      unreadable.push(error);
    }
  }
  runs.sort((a, b) => b.startedAt - a.startedAt || a.runId.localeCompare(b.runId));
  return { runs, unreadable };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
