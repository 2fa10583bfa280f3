import { type FileHandle, open } from 'node:fs/promises';
import {
  type RunEvent,
  runEventSchema,
  type TaskStatus,
  taskStatusSchema,
} from '@multi-context/events';
import { JournalLineParser } from './journal-line-parser.js';
import { JournalReadError } from './journal-read-error.js';
import { readJournal } from './read-journal.js';
import { buildSummary, type JournalSummary, summarizeJournal } from './summarize-journal.js';

/**
 * Journals up to this size are read and checked in full to be summarised: it
 * costs little, and a damaged line anywhere in them is reported.
 */
const FULL_READ_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CHUNK = 64 * 1024;
/** The lines between the ends are gone through a megabyte at a time. */
const SCAN_CHUNK = 1024 * 1024;
/**
 * How a line of each kind a summary looks for starts, with the newline before
 * it: every event is written with its `type` first.
 */
const RESUME_START = Buffer.from('\n{"type":"run:resume"');
const TASK_END_START = Buffer.from('\n{"type":"task:end"');

/**
 * The summary of one journal file, reading only what a summary needs of a
 * long one: its header and first event (checked as a full read checks them),
 * its last whole record (checked to be a valid event of the run), and, of the
 * lines between, only those that begin with `run:resume`, or with `task:end`
 * for a run that has not ended. The other lines, most of a journal, are not
 * decoded, parsed or checked. A journal of up to {@link FULL_READ_BYTES} is
 * read in full, and so is one whose ends do not read as expected, so that a
 * damaged header or last record is reported as a full read reports it.
 *
 * @throws {JournalReadError} When the journal cannot be read or is damaged.
 */
export async function summarizeJournalFile(path: string): Promise<JournalSummary> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new JournalReadError({
      code: 'unreadable-file',
      path,
      reason: (error as Error).message,
      cause: error,
    });
  }
  try {
    const { size } = await handle.stat();
    if (size > FULL_READ_BYTES) {
      const summary = await summarizeEnds(new FileReader(handle, size), path);
      if (summary !== undefined) return summary;
    }
  } finally {
    await handle.close();
  }
  return summarizeJournal(await readJournal(path));
}

/** The summary from the journal's ends, or undefined when they are not as a whole journal's are. */
async function summarizeEnds(file: FileReader, path: string): Promise<JournalSummary | undefined> {
  const head = await file.lineAt(0);
  const second = head === undefined ? undefined : await file.lineAt(head.end + 1);
  const last = await lastRecord(file);
  if (second === undefined || last === undefined || last.start <= head!.end + 1) return undefined;
  // The header and the first event are checked as a full read checks them.
  const parser = new JournalLineParser(path);
  let first: RunEvent | undefined;
  try {
    parser.parse(head!.text, 1);
    first = parser.parse(second.text, 2);
  } catch {
    return undefined;
  }
  const header = parser.header!;
  // Lines are found by how they begin, which holds for events written with their type first.
  if (!second.text.startsWith('{"type":"run:start"')) return undefined;
  const record = parseJson(last.text);
  if (first === undefined || !runEventSchema.safeParse(record).success) return undefined;
  // The record as written, as a full read gives it.
  const lastEvent = record as RunEvent;
  if (lastEvent.runId !== header.runId || lastEvent.seq <= first.seq) return undefined;
  const result = lastEvent.type === 'run:end' ? lastEvent.result : undefined;

  const between = await file.scanLines(second.end, last.start, result === undefined);
  if (between === undefined) return undefined;
  const { taskEnds } = between;
  let { resumes } = between;
  if (lastEvent.type === 'run:resume') resumes++;
  if (lastEvent.type === 'task:end') taskEnds.set(lastEvent.taskId, lastEvent.status);
  return buildSummary({
    header,
    path,
    firstEventAt: first.time,
    lastEventAt: lastEvent.time,
    result,
    taskEnds,
    resumes,
    truncated: last.truncated,
  });
}

/** The journal's last whole record, and whether a torn line after it was left out. */
async function lastRecord(
  file: FileReader,
): Promise<{ start: number; text: string; truncated: boolean } | undefined> {
  let end = file.size;
  // A file ends with a newline, unless a crash cut its last write short (or cut only the newline).
  const endsWithNewline = (await file.bytes(end - 1, end))[0] === NEWLINE;
  if (endsWithNewline) end--;
  let line = await file.lineEndingAt(end);
  if (line === undefined) return undefined;
  let truncated = false;
  if (!endsWithNewline && parseJson(line.text) === undefined) {
    truncated = true;
    line = await file.lineEndingAt(line.start - 1);
    if (line === undefined) return undefined;
  }
  return { start: line.start, text: line.text, truncated };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a file by byte ranges, for lines found from either end. */
class FileReader {
  readonly #handle: FileHandle;
  readonly size: number;

  constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
  }

  async bytes(from: number, to: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(Math.max(0, to - from));
    return buffer.subarray(0, await this.#readInto(buffer, from, buffer.length));
  }

  /** The line that starts at `start` and ends before the next newline; undefined without one. */
  async lineAt(start: number): Promise<{ text: string; end: number } | undefined> {
    const parts: Buffer[] = [];
    for (let from = start; from < this.size; from += CHUNK) {
      const chunk = await this.bytes(from, Math.min(this.size, from + CHUNK));
      const newline = chunk.indexOf(NEWLINE);
      if (newline !== -1) {
        parts.push(chunk.subarray(0, newline));
        return { text: Buffer.concat(parts).toString('utf8'), end: from + newline };
      }
      parts.push(chunk);
    }
    return undefined;
  }

  /** The line that ends at `end` (exclusive), read backwards to the newline before it. */
  async lineEndingAt(end: number): Promise<{ text: string; start: number } | undefined> {
    const parts: Buffer[] = [];
    for (let to = end; to > 0; to -= CHUNK) {
      const from = Math.max(0, to - CHUNK);
      const chunk = await this.bytes(from, to);
      const newline = chunk.lastIndexOf(NEWLINE);
      if (newline !== -1) {
        parts.unshift(chunk.subarray(newline + 1));
        return { text: Buffer.concat(parts).toString('utf8'), start: from + newline + 1 };
      }
      parts.unshift(chunk);
    }
    return undefined;
  }

  /**
   * Looks through `[from, to)`, from a newline to the start of a line, for
   * the lines that begin with `run:resume` and (with `withTaskEnds`)
   * `task:end`, with a native search: no other line is decoded. Counts the
   * first and reads each task end's task and status, in file order.
   * Undefined when a line is not what it looks like.
   */
  async scanLines(
    from: number,
    to: number,
    withTaskEnds: boolean,
  ): Promise<{ resumes: number; taskEnds: Map<string, TaskStatus> } | undefined> {
    let resumes = 0;
    const taskEnds = new Map<string, TaskStatus>();
    const buffer = Buffer.allocUnsafe(SCAN_CHUNK);
    // A chunk repeats the end of the one before, so a line start cut by a chunk's end is found whole.
    const overlap = RESUME_START.length - 1;
    for (let at = from; at < to; ) {
      const length = await this.#readInto(buffer, at, Math.min(SCAN_CHUNK, to - at));
      if (length === 0) return undefined;
      const chunk = buffer.subarray(0, length);
      const final = at + length >= to;
      // What starts in the overlap is looked at with the next chunk.
      const before = final ? length : length - overlap;
      for (let i = chunk.indexOf(RESUME_START); i !== -1 && i < before; ) {
        resumes++;
        i = chunk.indexOf(RESUME_START, i + 1);
      }
      if (withTaskEnds) {
        for (let i = chunk.indexOf(TASK_END_START); i !== -1 && i < before; ) {
          const newline = chunk.indexOf(NEWLINE, i + 1);
          const text =
            newline === -1
              ? (await this.lineAt(at + i + 1))?.text
              : chunk.toString('utf8', i + 1, newline);
          const end = parseJson(text) as { taskId?: unknown; status?: unknown } | undefined;
          const status = taskStatusSchema.safeParse(end?.status);
          if (typeof end?.taskId !== 'string' || !status.success) return undefined;
          taskEnds.set(end.taskId, status.data);
          i = chunk.indexOf(TASK_END_START, i + 1);
        }
      }
      if (final) break;
      at += length - overlap;
    }
    return { resumes, taskEnds };
  }

  async #readInto(buffer: Buffer, from: number, length: number): Promise<number> {
    let read = 0;
    while (read < length) {
      const { bytesRead } = await this.#handle.read(buffer, read, length - read, from + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return read;
  }
}
