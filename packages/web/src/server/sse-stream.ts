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
 * One server-sent-events response. What arrives in one turn of the event
 * loop is written with one `write()` on the next (a burst of thousands of
 * events is one write, not thousands), each event as `id: <seq>` and
 * `data: <event JSON>`.
 */
export class SseStream {
  readonly #response: ServerResponse;
  #pending: string[] = [];
  #scheduled = false;
  #ended = false;

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Sends one event of the run. */
  event(event: RunEvent): void {
    // JSON text never holds a raw newline, so one data line carries the event.
    this.#push(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
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
    return new Promise((resolve) => {
      if (this.#response.destroyed) resolve();
      else this.#response.end(resolve);
      this.#response.once('close', resolve);
    });
  }

  #push(text: string): void {
    if (this.#ended) return;
    this.#pending.push(text);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#ended || this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#response.write(text);
    if (this.#response.writableLength > MAX_BUFFERED_BYTES) void this.drop();
  }
}
