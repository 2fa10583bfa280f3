import { type RunEvent, runEventSchema, type WorkflowResult } from '@multi-context/events';
import { defineWorkflow, type Workflow, WorkflowValidationError } from '@multi-context/workflow';
import { hashWorkflow } from './hash-workflow.js';
import { JOURNAL_FORMAT_VERSION, JOURNAL_KIND, type JournalHeader } from './journal-format.js';
import { JournalReadError, type JournalReadErrorCode } from './journal-read-error.js';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Checks a journal one whole line at a time, in file order: the header first,
 * then events that belong to its run, with contiguous `seq`, starting with
 * `run:start` and ending at `run:end` (after which only the `run:resume` of a
 * cancelled run may come). The one place both the reader and the follower
 * learn what a valid journal is.
 */
export class JournalLineParser {
  readonly #path: string;
  #header: JournalHeader | undefined;
  #lastSeq = -1;
  #result: WorkflowResult | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** The header, once line 1 was parsed. */
  get header(): JournalHeader | undefined {
    return this.#header;
  }

  /** The `seq` of the last event parsed; -1 before the first. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The run's result, once its `run:end` was parsed (and no `run:resume` followed). */
  get result(): WorkflowResult | undefined {
    return this.#result;
  }

  /**
   * Parses line `line` (1-based, without its newline).
   *
   * @returns The event, or undefined for the header.
   * @throws {JournalReadError} When the line breaks the format.
   */
  parse(text: string, line: number): RunEvent | undefined {
    if (this.#header === undefined) {
      this.#header = this.#parseHeader(text, line);
      return undefined;
    }
    return this.#parseEvent(this.#header, text, line);
  }

  #fail(code: JournalReadErrorCode, line: number, reason: string, cause?: unknown): never {
    throw new JournalReadError({ code, path: this.#path, line, reason, cause });
  }

  #parseHeader(text: string, line: number): JournalHeader {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#fail('invalid-header', line, 'the first line is not JSON.', error);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#fail('invalid-header', line, 'the first line is not a journal header.');
    }
    const header = value as Record<string, unknown>;
    if (header.kind !== JOURNAL_KIND) {
      this.#fail(
        'invalid-header',
        line,
        `the first line is not a journal header (its "kind" is not "${JOURNAL_KIND}").`,
      );
    }
    if (header.formatVersion !== JOURNAL_FORMAT_VERSION) {
      this.#fail(
        'unknown-format-version',
        line,
        `format version ${JSON.stringify(header.formatVersion)} is not one this reader understands (${JOURNAL_FORMAT_VERSION}); a newer @multi-context/journal may read it.`,
      );
    }
    if (typeof header.runId !== 'string' || header.runId === '') {
      this.#fail('invalid-header', line, 'the header has no "runId".');
    }
    if (typeof header.workflowHash !== 'string' || !HASH.test(header.workflowHash)) {
      this.#fail(
        'invalid-header',
        line,
        'the header\'s "workflowHash" is not a SHA-256 hex digest.',
      );
    }
    if (typeof header.createdAt !== 'number' || !Number.isFinite(header.createdAt)) {
      this.#fail(
        'invalid-header',
        line,
        'the header\'s "createdAt" is not a time in milliseconds.',
      );
    }
    if (header.inputs !== undefined && !isInputValues(header.inputs)) {
      this.#fail(
        'invalid-header',
        line,
        'the header\'s "inputs" is not an object of strings, numbers and booleans.',
      );
    }
    const workflow = header.workflow as Workflow;
    try {
      defineWorkflow(workflow);
    } catch (error) {
      if (!WorkflowValidationError.isInstance(error)) throw error;
      this.#fail(
        'invalid-header',
        line,
        `the header's workflow is not valid: ${error.message}`,
        error,
      );
    }
    if (hashWorkflow(workflow) !== header.workflowHash) {
      this.#fail(
        'workflow-hash-mismatch',
        line,
        "the header's workflow does not match its workflowHash: the file was edited after the run.",
      );
    }
    return header as unknown as JournalHeader;
  }

  #parseEvent(header: JournalHeader, text: string, line: number): RunEvent {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#fail('corrupt-record', line, 'the line is not JSON.', error);
    }
    const parsed = runEventSchema.safeParse(value);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const at =
        issue === undefined || issue.path.length === 0 ? '' : ` at "${issue.path.join('.')}"`;
      this.#fail(
        'invalid-event',
        line,
        `the line is not a valid run event${at}: ${issue?.message ?? 'invalid'}.`,
        parsed.error,
      );
    }
    // The record as written (not zod's copy), so a reader sees exactly what the run emitted.
    const event = value as RunEvent;
    if (event.runId !== header.runId) {
      this.#fail(
        'wrong-run',
        line,
        `the event belongs to run "${event.runId}", not "${header.runId}".`,
      );
    }
    if (this.#result !== undefined) {
      // A cancelled run may be resumed: its next session starts with run:resume.
      if (event.type !== 'run:resume' || this.#result.status !== 'cancelled') {
        this.#fail(
          'event-after-end',
          line,
          `a "${event.type}" event follows the run's run:end (${this.#result.status}).`,
        );
      }
      this.#result = undefined;
    }
    if (event.seq !== this.#lastSeq + 1) {
      this.#fail('seq-gap', line, `expected seq ${this.#lastSeq + 1}, found ${event.seq}.`);
    }
    if (event.seq === 0 && event.type !== 'run:start') {
      this.#fail('invalid-event', line, `the first event is "${event.type}", not run:start.`);
    }
    this.#lastSeq = event.seq;
    if (event.type === 'run:end') this.#result = event.result;
    return event;
  }
}

function isInputValues(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (item) => typeof item === 'string' || typeof item === 'boolean' || Number.isFinite(item),
  );
}
