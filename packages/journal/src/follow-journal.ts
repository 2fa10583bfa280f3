import { type FileHandle, open } from 'node:fs/promises';
import type { RunEvent } from '@multi-context/events';
import { Observable } from 'rxjs';
import { JournalLineParser } from './journal-line-parser.js';
import { JournalReadError } from './journal-read-error.js';

const NEWLINE = 0x0a;
const CHUNK = 64 * 1024;

/**
 * Tails a journal: emits its events as whole lines appear, polling the file
 * every `pollIntervalMs`, and completes at `run:end`. Waits for the file while
 * it does not exist yet. A partial last line is held until its newline comes.
 * Unsubscribing stops polling and closes the file.
 */
export function followJournal(path: string, pollIntervalMs: number): Observable<RunEvent> {
  return new Observable<RunEvent>((subscriber) => {
    const parser = new JournalLineParser(path);
    let handle: FileHandle | undefined;
    let position = 0;
    let line = 0;
    let carry = Buffer.alloc(0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polling = false;
    const chunk = Buffer.alloc(CHUNK);

    const close = () => {
      const file = handle;
      handle = undefined;
      file?.close().catch(() => {});
    };

    /** Emits every whole line read so far; returns false once the subscriber is done. */
    const emitLines = (): boolean => {
      let start = 0;
      for (let end = carry.indexOf(NEWLINE); end !== -1; end = carry.indexOf(NEWLINE, start)) {
        line++;
        const event = parser.parse(carry.toString('utf8', start, end), line);
        start = end + 1;
        if (event !== undefined) subscriber.next(event);
        if (parser.result !== undefined) {
          subscriber.complete();
          return false;
        }
        if (subscriber.closed) return false;
      }
      carry = Buffer.from(carry.subarray(start));
      return true;
    };

    const poll = async () => {
      polling = true;
      try {
        handle ??= await openIfPresent(path);
        while (handle !== undefined && !subscriber.closed) {
          const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
          if (bytesRead === 0) break;
          position += bytesRead;
          carry = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
          if (!emitLines()) break;
        }
      } catch (error) {
        subscriber.error(
          JournalReadError.isInstance(error)
            ? error
            : new JournalReadError({
                code: 'unreadable-file',
                path,
                reason: (error as Error).message,
                cause: error,
              }),
        );
      } finally {
        polling = false;
      }
      if (subscriber.closed) close();
      else timer = setTimeout(poll, pollIntervalMs);
    };

    void poll();
    return () => {
      clearTimeout(timer);
      // A poll in progress closes the file when it sees the subscriber closed.
      if (!polling) close();
    };
  });
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
