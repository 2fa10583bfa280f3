import path from 'node:path';
import { JOURNAL_FILE_NAME } from './journal-format.js';

/**
 * The folder journals go in when none is given: `<cwd>/.multi-context/runs`.
 *
 * @param cwd The working directory; `process.cwd()` by default.
 */
export function defaultJournalDir(cwd: string = process.cwd()): string {
  return path.join(cwd, '.multi-context', 'runs');
}

/**
 * Where the journal of run `runId` lives: `<dir>/<runId>/events.jsonl`.
 *
 * @param dir The journal folder; {@link defaultJournalDir} by default.
 */
export function journalPath(runId: string, dir: string = defaultJournalDir()): string {
  return path.join(dir, runId, JOURNAL_FILE_NAME);
}

// Characters no file system (Windows included) takes in a folder name.
const UNSAFE = /[/\\:*?"<>|\0]/;

/** Whether `runId` can name a folder of its own: not empty, not `.`/`..`, no separators. */
export function isUsableRunId(runId: string): boolean {
  return runId.length > 0 && runId !== '.' && runId !== '..' && !UNSAFE.test(runId);
}
