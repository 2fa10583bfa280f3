import type { ServerResponse } from 'node:http';
import type { RunEvent } from '@multi-context/events';

/**
 * How much a page may fall behind before its stream is dropped: a page that
 * reads slower than the run writes reconnects with `Last-Event-ID` and gets
 * the rest from memory or the journal, instead of this process buffering
 * the whole run for it.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One server-sent-events response, each event as `id: <seq>` and
 * `data: <event JSON>`. Events are written together, at most once every
 * `flushIntervalMs` (the first of a quiet spell at once, on the next turn
 * of the event loop): a burst of thousands of events is one write, not
 * thousands, and the page redraws a few times a second instead of at every
 * frame while a big run streams, which leaves the run's own process the
 * CPU. The end is written at once.
 */
export class SseStream {
  readonly #response: ServerResponse;
  readonly #flushIntervalMs: number;
  /** What is to be written: events, serialised only when written (off the run's busy turns), and text. */
  #pending: (RunEvent | string)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastFlush = Number.NEGATIVE_INFINITY;
  #ended = false;

  constructor(response: ServerResponse, flushIntervalMs: number) {
    this.#response = response;
    this.#flushIntervalMs = flushIntervalMs;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Sends one event of the run. */
  event(event: RunEvent): void {
    this.#push(event);
  }

  /** A comment line, which the page ignores: keeps proxies and idle timers from closing the stream. */
  comment(text: string): void {
    this.#push(`: ${text}\n\n`);
  }

  /** Sends what is pending, then `event: end` when the run ended, and ends the response. */
  end(runEnded: boolean): Promise<void> {
    if (runEnded) this.#push('event: end\ndata: {}\n\n');
    this.#flush();
    return this.#close();
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
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastFlush + this.#flushIntervalMs - performance.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#ended || this.#pending.length === 0) return;
    this.#lastFlush = performance.now();
    let text = '';
    for (const item of this.#pending) {
      // JSON text never holds a raw newline, so one data line carries the event.
      text +=
        typeof item === 'string' ? item : `id: ${item.seq}\ndata: ${JSON.stringify(item)}\n\n`;
    }
    this.#pending = [];
    this.#response.write(text);
    if (this.#response.writableLength > MAX_BUFFERED_BYTES) void this.drop();
  }
}
