import type { ServerResponse } from 'node:http';
import type { RunEvent } from '@multi-context/events';

/**
 * How much a page may fall behind before its stream is dropped: a page that
 * reads slower than the run writes reconnects with `Last-Event-ID` and gets
 * the rest from memory or the journal, instead of this process buffering
 * the whole run for it.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A stream is written once no event came for this long: a burst is over. */
const QUIET_MS = 15;

/**
 * The most JSON text one message carries: a long backlog (a page opening on a
 * big run, or reconnecting) goes as several messages, so the page folds and
 * draws it in steps rather than in one long task.
 */
const MAX_MESSAGE_CHARS = 512 * 1024;

/**
 * One server-sent-events response. Events are sent in batches: each message
 * is `id: <seq of its last event>` and `data: <JSON array of events>`, so
 * `Last-Event-ID` resumes after the last event the page got, with no gap and
 * no duplicate. A batch is written once no event came for {@link QUIET_MS}
 * or `maxWaitMs` after the first one waiting, whichever is first: a burst of
 * thousands of events (a phase's tasks ending together) is one message,
 * written when the burst is over, so that the page parses and draws it while
 * the run waits on its calls rather than while it is busy; a steady stream
 * (text streaming in) is written every `maxWaitMs`. Events are serialised
 * when written, not when the run emits them. The end is written at once.
 */
export class SseStream {
  readonly #response: ServerResponse;
  readonly #maxWaitMs: number;
  /** What is to be written: events, serialised only when written (off the run's busy turns), and text. */
  #pending: (RunEvent | string)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstPendingAt = 0;
  #lastPushAt = 0;
  #ended = false;
  /** The run's end was seen: `event: end` goes with whatever ends the stream. */
  #runEnded = false;

  constructor(response: ServerResponse, maxWaitMs: number) {
    this.#response = response;
    this.#maxWaitMs = maxWaitMs;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Sends one event of the run (in the next batch). */
  event(event: RunEvent): void {
    this.#push(event);
  }

  /** A comment line, which the page ignores: keeps proxies and idle timers from closing the stream. */
  comment(text: string): void {
    this.#push(`: ${text}\n\n`);
  }

  /** Sends what is pending, then `event: end` when the run ended, and ends the response. */
  end(runEnded: boolean): Promise<void> {
    if (runEnded || this.#runEnded) this.#push('event: end\ndata: {}\n\n');
    this.#flush();
    return this.#close();
  }

  /**
   * The run ended (its `run:end` was the last event given): sends what is
   * pending and the end as soon as the run's own turn is over, not inside
   * it, so that serialising the last burst never delays the run's result.
   * An {@link end} meanwhile (the server closing) sends the end too.
   */
  endAfterRun(): void {
    this.#runEnded = true;
    setImmediate(() => void this.end(true));
  }

  /** Ends the response without the end event: the page reconnects and resumes where it was. */
  drop(): Promise<void> {
    this.#pending = [];
    return this.#close();
  }

  #close(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#ended = true;
    clearTimeout(this.#timer);
    return new Promise((resolve) => {
      if (this.#response.destroyed) resolve();
      else this.#response.end(resolve);
      this.#response.once('close', resolve);
    });
  }

  #push(text: RunEvent | string): void {
    if (this.#ended) return;
    this.#pending.push(text);
    const now = performance.now();
    this.#lastPushAt = now;
    if (this.#timer !== undefined) return;
    this.#firstPendingAt = now;
    this.#timer = setTimeout(this.#check, Math.min(QUIET_MS, this.#maxWaitMs));
  }

  /** Writes when the burst is over or the first event waited long enough; else looks again then. */
  readonly #check = (): void => {
    const now = performance.now();
    const quietIn = this.#lastPushAt + QUIET_MS - now;
    const dueIn = this.#firstPendingAt + this.#maxWaitMs - now;
    if (quietIn <= 0 || dueIn <= 0) this.#flush();
    else this.#timer = setTimeout(this.#check, Math.min(quietIn, dueIn));
  };

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#ended || this.#pending.length === 0) return;
    let text = '';
    // The batch being built: its events' JSON joined by commas, and the last one's seq.
    let batch = '';
    let lastSeq = 0;
    const closeBatch = () => {
      if (batch === '') return;
      // JSON text never holds a raw newline, so one data line carries the batch.
      text += `id: ${lastSeq}\ndata: [${batch}]\n\n`;
      batch = '';
    };
    for (const item of this.#pending) {
      if (typeof item === 'string') {
        closeBatch();
        text += item;
        continue;
      }
      const json = JSON.stringify(item);
      if (batch !== '' && batch.length + json.length > MAX_MESSAGE_CHARS) closeBatch();
      batch = batch === '' ? json : `${batch},${json}`;
      lastSeq = item.seq;
    }
    closeBatch();
    this.#pending = [];
    this.#response.write(text);
    if (this.#response.writableLength > MAX_BUFFERED_BYTES) void this.drop();
  }
}
