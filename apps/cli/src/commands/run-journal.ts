import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { attachJournal, type JournalableRun, type JournalWriter } from '@multi-context/journal';
import type { InputValue, Workflow } from '@multi-context/workflow';
import { type Observable, Subject } from 'rxjs';
import { ExitCode } from '../options/exit-codes.js';
import { CommandFailure } from './command-failure.js';

/** Where a run of the CLI is journaled. */
export interface RunJournalPlan {
  /** The journal folder: the run's journal is `<dir>/<runId>/events.jsonl`. */
  dir: string;
  /** Continue the run's journal (a resume) instead of creating it. */
  append: boolean;
  /** `--redis`: the journal is kept in this Redis (a stream per run) instead of in `dir`. */
  redis?: string;
  /** How long Redis may leave the journal's writes unanswered before the journal fails; the package's default (30 s) if unset. */
  redisUnreachableLimitMs?: number;
}

/** A run's journal as the CLI keeps it. */
export interface RunJournal {
  /** The journal file, or with `--redis` its stream (`redis://host:port key`); undefined with `--no-journal`. */
  readonly path: string | undefined;
  /**
   * Whether the run is to be stopped when the journal fails: a journal in
   * Redis keeps what was written before the failure, so the run is stopped
   * rather than paying for answers no resume would know of.
   */
  readonly stopsRunOnFailure: boolean;
  /** Journals the run's events: call it right after the run was started, before its first event. */
  record(events$: Observable<RunEvent>): void;
  /**
   * The run could not be started after all: closes the journal, and removes
   * a journal that was made for it (a resumed run's journal is kept).
   */
  abandon(): Promise<void>;
  /**
   * Resolves once every event up to `run:end` is written and synced and the
   * file closed: to undefined, or to the error when the journal failed (which
   * `onFailure` was told about at once). Never rejects.
   */
  readonly settled: Promise<Error | undefined>;
}

const NO_JOURNAL: RunJournal = {
  path: undefined,
  stopsRunOnFailure: false,
  record: () => {},
  abandon: async () => {},
  settled: Promise.resolve(undefined),
};

/**
 * Opens the journal of run `runId` before the run starts: its file exists
 * with its header (or, for a resume, is checked to be this run's and open
 * for appending) before any provider is called, so a run killed at any
 * moment after it started can be resumed. Events are then written with the
 * journal's default durability: each on the next turn of the event loop,
 * and every turn with a `task:end` or `run:end` synced, so a task whose end
 * was journaled is never paid for again after a crash.
 *
 * A journal that fails later does not stop the run (its answers are paid
 * for and are shown), but the user is told at once through `onFailure`;
 * with `plan.redis` the journal is a stream in Redis, and one that fails
 * (Redis gone for longer than the limit) asks for the run to be stopped
 * (`stopsRunOnFailure`): what it holds is resumed once Redis is back.
 *
 * @throws {CommandFailure} (exit 1) When the journal cannot be opened; the run is then not started.
 */
export async function openRunJournal(
  target: {
    runId: string;
    workflow: Workflow;
    /** The run's input values, for a new journal's header. */
    inputs?: Readonly<Record<string, InputValue>> | undefined;
    /** The API keys in play: inputs are not written down when one holds a key. */
    secrets?: readonly string[];
  },
  plan: RunJournalPlan | undefined,
  onFailure: (message: string) => void,
): Promise<RunJournal> {
  if (plan === undefined) return NO_JOURNAL;
  // The run does not exist yet: the journal listens to a stand-in that the run's events go through.
  const events$ = new Subject<RunEvent>();
  const run = { runId: target.runId, workflow: target.workflow, events$ };
  const inputs =
    target.inputs === undefined ? undefined : recordableInputs(target.inputs, target.secrets ?? []);
  const writer =
    plan.redis === undefined
      ? fileWriter(attachJournal(run, { dir: plan.dir, append: plan.append, inputs }))
      : await redisWriter(run, plan, plan.redis, inputs);
  let state: 'opening' | 'open' | 'abandoned' = 'opening';
  const settled = writer.done.then(
    () => undefined,
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (state === 'open') {
        onFailure(
          plan.redis === undefined
            ? `the journal failed, so this run cannot be resumed: ${failure.message}`
            : `the journal failed, so the run is stopped: ${failure.message} ('multi-context resume ${target.runId} --redis <url>' finishes it)`,
        );
      }
      return failure;
    },
  );
  try {
    await writer.flush();
  } catch (error) {
    throw new CommandFailure(
      `cannot journal the run, so it was not started: ${(error as Error).message}`,
      ExitCode.runFailed,
    );
  }
  state = 'open';
  return {
    path: writer.path,
    stopsRunOnFailure: plan.redis !== undefined,
    record: (source) => {
      source.subscribe(events$);
    },
    abandon: async () => {
      state = 'abandoned';
      events$.complete();
      await settled;
      if (!plan.append) await writer.discard();
    },
    settled,
  };
}

/** What the CLI needs of a journal writer, a file's or Redis's. */
interface Writer {
  path: string;
  done: Promise<void>;
  flush(): Promise<void>;
  /** Removes the journal made for a run that was not started after all. */
  discard(): Promise<void>;
}

function fileWriter(writer: JournalWriter): Writer {
  return {
    path: writer.path,
    done: writer.done,
    flush: () => writer.flush(),
    discard: () => rm(dirname(writer.path), { recursive: true, force: true }),
  };
}

/** A journal in Redis: `@multi-context/journal-redis` is loaded here, only for `--redis`. */
async function redisWriter(
  run: JournalableRun,
  plan: RunJournalPlan,
  url: string,
  inputs: Readonly<Record<string, InputValue>> | undefined,
): Promise<Writer> {
  const { attachRedisJournal, deleteRedisJournal } = await import('@multi-context/journal-redis');
  const writer = attachRedisJournal(run, {
    redis: url,
    append: plan.append,
    inputs,
    unreachableLimitMs: plan.redisUnreachableLimitMs,
  });
  return {
    path: writer.location,
    done: writer.done,
    flush: () => writer.flush(),
    discard: () => deleteRedisJournal(url, run.runId),
  };
}

/**
 * The inputs to record, or none when one of them holds an API key: a key is
 * never written to a journal (the events are redacted too). A resume of a run
 * whose inputs were not recorded takes them with `--input` again.
 */
function recordableInputs(
  inputs: Readonly<Record<string, InputValue>>,
  secrets: readonly string[],
): Readonly<Record<string, InputValue>> | undefined {
  const holdsSecret = Object.values(inputs).some(
    (value) =>
      typeof value === 'string' &&
      secrets.some((secret) => secret !== '' && value.includes(secret)),
  );
  return holdsSecret ? undefined : inputs;
}
