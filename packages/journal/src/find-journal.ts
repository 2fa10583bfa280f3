import { stat } from 'node:fs/promises';
import { defaultJournalDir, isUsableRunId, journalPath } from './journal-paths.js';

/** Options of {@link findJournal} and `listJournals`. */
export interface JournalDirOptions {
  /** The journal folder. Default: {@link defaultJournalDir}. */
  dir?: string;
}

/**
 * The path of run `runId`'s journal, or undefined when it has none.
 *
 * @example
 * const path = await findJournal(runId);
 * if (path === undefined) console.error(`No run ${runId}.`);
 * else console.log((await readJournal(path)).result?.status);
 */
export async function findJournal(
  runId: string,
  options: JournalDirOptions = {},
): Promise<string | undefined> {
  if (!isUsableRunId(runId)) return undefined;
  const file = journalPath(runId, options.dir ?? defaultJournalDir());
  try {
    return (await stat(file)).isFile() ? file : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
