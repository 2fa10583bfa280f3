import type { RunEvent } from '@multi-context/events';
import type { Colors } from './colors.js';
import { SPINNER_FRAMES } from './glyphs.js';
import { renderFrame } from './render-frame.js';
import type { RunReporter } from './run-reporter.js';
import { RunView } from './run-view.js';
import { responseLines } from './summary.js';

/** Draws a frame in place of the previous one: log-update's `createLogUpdate()` result. */
export interface FrameDrawer {
  (frame: string): void;
  /** Erases the frame, so that lines can be written above the next one. */
  clear(): void;
  /** Leaves the last frame on the screen and restores the cursor. */
  done(): void;
}

/** What {@link LiveReporter} draws with. */
export interface LiveReporterOptions {
  draw: FrameDrawer;
  /** Writes lines that stay (the responses), between frames. */
  write: (text: string) => void;
  colors: Colors;
  /** The terminal's size now: read on every redraw, so a resize is followed. */
  size: () => { columns: number; rows: number | undefined };
  /** Every task's response, printed above the final frame. */
  responses: boolean;
  /** Redraws at most this often. Default 80 ms. */
  intervalMs?: number;
  /** The clock of elapsed times. Default `Date.now`. */
  now?: () => number;
}

/**
 * The live display of a terminal: phases and tasks with a spinner, attempts,
 * elapsed time and the latest streamed words, redrawn at most every 80 ms.
 * When the run ends, the responses are printed (wrapped to the terminal's
 * width) and the last frame, with the summary, stays on screen.
 */
export class LiveReporter implements RunReporter {
  readonly #options: LiveReporterOptions;
  readonly #view = new RunView();
  #timer: ReturnType<typeof setInterval> | undefined;
  #tick = 0;
  #notice: string | undefined;
  #finished = false;

  constructor(options: LiveReporterOptions) {
    this.#options = options;
  }

  /** The run as the events so far tell it. */
  get view(): RunView {
    return this.#view;
  }

  event(event: RunEvent): void {
    if (this.#finished) return;
    this.#view.apply(event);
    if (event.type === 'run:end') {
      this.#finish();
      return;
    }
    if (this.#timer === undefined) {
      this.#redraw();
      this.#timer = setInterval(() => {
        this.#tick++;
        this.#redraw();
      }, this.#options.intervalMs ?? 80);
      // The display must never be what keeps the process alive.
      this.#timer.unref?.();
    }
  }

  history(event: RunEvent): void {
    // The first frame, drawn with the run's first own event, starts where the run stands.
    if (!this.#finished) this.#view.apply(event);
  }

  notice(message: string): void {
    this.#notice = message;
    if (!this.#finished) this.#redraw();
  }

  abort(): void {
    this.#stop();
    if (!this.#finished) {
      this.#finished = true;
      this.#options.draw.done();
    }
  }

  /** The frame as it would be drawn now. */
  frame(): string {
    const { columns, rows } = this.#options.size();
    return renderFrame(this.#view, {
      now: (this.#options.now ?? Date.now)(),
      columns,
      rows,
      spinner: SPINNER_FRAMES[this.#tick % SPINNER_FRAMES.length]!,
      colors: this.#options.colors,
      notice: this.#notice,
    });
  }

  #redraw(): void {
    this.#options.draw(this.frame());
  }

  #finish(): void {
    this.#stop();
    this.#finished = true;
    const { draw, write, colors, responses } = this.#options;
    const result = this.#view.result;
    // The cancel notice has served its purpose: the summary says how the run ended.
    this.#notice = undefined;
    if (responses && result !== undefined) {
      draw.clear();
      // Wrapped a column short of the edge, as the frames are, so no line breaks mid-word.
      const width = this.#options.size().columns - 1;
      write(`${responseLines(result, colors, width).join('\n')}\n`);
    }
    this.#redraw();
    draw.done();
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
