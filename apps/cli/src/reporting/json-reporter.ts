import type { RunEvent } from '@multi-context/events';
import type { CliOutput } from '../cli-io.js';
import type { RunReporter } from './run-reporter.js';

/**
 * `--json`: every event as one line of JSON on stdout, nothing else there, so
 * `multi-context run --json` can be piped into `jq` or stored as a journal.
 * Notices go to stderr.
 */
export class JsonReporter implements RunReporter {
  readonly #out: CliOutput;
  readonly #err: CliOutput;

  constructor(out: CliOutput, err: CliOutput) {
    this.#out = out;
    this.#err = err;
  }

  event(event: RunEvent): void {
    this.#out.write(`${JSON.stringify(event)}\n`);
  }

  /** `--json` prints the events of this session only: what the journal gains. */
  history(): void {}

  notice(message: string): void {
    this.#err.write(`multi-context: ${message}\n`);
  }

  abort(): void {}
}
