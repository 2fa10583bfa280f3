import { readFile } from 'node:fs/promises';
import type { RunEvent, WorkflowResult } from '@multi-context/events';
import type { JournalHeader } from './journal-format.js';
import { JournalLineParser } from './journal-line-parser.js';
import { JournalReadError } from './journal-read-error.js';

const NEWLINE = 0x0a;

/** Everything a journal holds, checked. */
export interface JournalContents {
  /** The journal file it was read from. */
  path: string;
  header: JournalHeader;
  /** Every recorded event, in order, exactly as the run emitted it. */
  events: RunEvent[];
  /** Whether a torn last line (a crash in the middle of a write) was dropped. */
  truncated: boolean;
  /**
   * Whether the journal ends with the run's `run:end`. A run that ended
   * `succeeded` or `failed` has nothing left to resume; one that ended
   * `cancelled` may be resumed, and its journal then goes on with `run:resume`.
   */
  ended: boolean;
  /** The run's result, from that `run:end`. */
  result?: WorkflowResult;
}

/** A journal's contents and where its last whole record ends: what appending needs. */
export interface ScannedJournal {
  contents: JournalContents;
  /** Bytes from the start of the file to the end of the last whole record. */
  wholeBytes: number;
  /** Whether that last whole record lacks its newline (the file was cut right before it). */
  missingNewline: boolean;
}

/**
 * Reads and checks a whole journal.
 *
 * A torn last line (what a crash in the middle of a write leaves) is dropped
 * and reported as `truncated: true`; everything before it is returned. Any
 * other damage is an error, never a partial read: a line before the last
 * that is not JSON or not a valid run event, a `seq` that does not follow, an
 * event of another run, an event after `run:end` (other than the `run:resume`
 * of a cancelled run), a missing or invalid header, an
 * unknown format version, or a workflow that no longer matches its hash.
 *
 * The file is read into memory at once: fine for journals of up to some
 * hundred thousand events.
 *
 * @throws {JournalReadError} With the file, the 1-based line and the reason.
 *
 * @example
 * const journal = await readJournal('.multi-context/runs/<runId>/events.jsonl');
 * console.log(journal.header.workflow.name, journal.events.length, journal.ended);
 */
export async function readJournal(path: string): Promise<JournalContents> {
  return (await scanJournal(path)).contents;
}

/** {@link readJournal}, with where the whole records end. */
export async function scanJournal(path: string): Promise<ScannedJournal> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new JournalReadError({
      code: 'unreadable-file',
      path,
      reason: (error as Error).message,
      cause: error,
    });
  }
  const parser = new JournalLineParser(path);
  const events: RunEvent[] = [];
  let start = 0;
  let line = 0;
  let truncated = false;
  let missingNewline = false;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    const text = bytes.toString('utf8', start, end);
    if (newline === -1 && !isJson(text)) {
      // The last line has no newline and is not a whole record: a write that a crash cut short.
      truncated = true;
      break;
    }
    const event = parser.parse(text, line);
    if (event !== undefined) events.push(event);
    if (newline === -1) {
      missingNewline = true;
      start = bytes.length;
    } else {
      start = newline + 1;
    }
  }
  const { header, result } = parser;
  if (header === undefined) {
    throw new JournalReadError({
      code: 'missing-header',
      path,
      line: 1,
      reason:
        bytes.length === 0
          ? 'the file is empty (the run stopped before its journal was first written).'
          : 'the first line is not a whole record (the run stopped while its journal was first written).',
    });
  }
  const contents: JournalContents = {
    path,
    header,
    events,
    truncated,
    ended: result !== undefined,
  };
  if (result !== undefined) contents.result = result;
  return { contents, wholeBytes: start, missingNewline };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
