import { resolve } from 'node:path';
import { OrchestratorConfigError, recoverRun } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { type JournalContents, type JournalHeader, readJournal } from '@multi-context/journal';
import type { InputValue } from '@multi-context/workflow';
import type { CliIo } from '../cli-io.js';
import { budgetOf } from '../options/budget-options.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  displayPath,
  type FoundRun,
  findRun,
  journalCommand,
  journalDirOf,
} from '../options/journal-options.js';
import { type InputOptions, inputValuesOf } from '../options/parse-input-options.js';
import { plural } from '../reporting/format.js';
import { CommandFailure } from './command-failure.js';
import {
  findRedisRun,
  journalUnreachableLimitMs,
  noRedisRun,
  reachJournalRedis,
  redisFailures,
} from './redis-journal.js';
import { type RunCommandOptions, runWorkflow } from './run-command.js';
import type { RunJournalPlan } from './run-journal.js';

/** The options of `multi-context resume`: those of `run`, less `--no-journal`. */
export type ResumeCommandOptions = Omit<RunCommandOptions, 'journal'>;

/**
 * `multi-context resume <runId>`: continues an interrupted run from its
 * journal, with the workflow the journal recorded, and appends to the same
 * journal. Tasks whose end was journaled are not sent to a provider again.
 * A run that already ended is left alone (exit 0).
 */
export function resumeCommand(
  runId: string,
  options: ResumeCommandOptions,
  io: CliIo,
): Promise<number> {
  return journalCommand(io, async () => {
    const { contents, journalName, journal } = await journalToResume(runId, options, io);
    const { header, events } = contents;
    const { workflow } = header;
    // Checked first: a resume that cannot apply its options pays for nothing.
    const budget = budgetOf(workflow, options, recordedBudget(events));
    // Machines reading --json get only events on stdout.
    const say = (line: string) =>
      (options.json === true ? io.stderr : io.stdout).write(`${line}\n`);

    if (events.length === 0) {
      // The process died before the first event was written: the run never started.
      const inputs = await resumeInputs(header, options, io);
      return runWorkflow(
        {
          workflow,
          origin: recordedOrigin(journalName, io),
          runId: header.runId,
          start: (orchestrator) =>
            orchestrator.run(workflow, { runId: header.runId, inputs, ...budget }),
          journal,
          announce: (id) => `run ${id} never started; starting it now\n  journal: ${journalName}`,
        },
        options,
        io,
      );
    }

    // Core's derivation decides what a resume keeps: the same function resume() runs.
    let recovered: ReturnType<typeof recoverRun>;
    try {
      recovered = recoverRun(workflow, events);
    } catch (error) {
      if (!OrchestratorConfigError.isInstance(error)) throw error;
      throw new CommandFailure(`${journalName}: ${error.message}`);
    }
    if (recovered.ended !== undefined) {
      say(`run ${header.runId} already ended (${recovered.ended.status}); nothing to resume.`);
      return ExitCode.ok;
    }
    const inputs = await resumeInputs(header, options, io);
    const total = workflow.phases.reduce((sum, phase) => sum + phase.tasks.length, 0);
    const kept = recovered.completed.size;
    return runWorkflow(
      {
        workflow,
        origin: recordedOrigin(journalName, io),
        runId: header.runId,
        // What the recorded sessions cost counts toward the budget (core adds it up).
        start: (orchestrator) => orchestrator.resume(workflow, { events, inputs, ...budget }),
        journal,
        // Earlier resumes stay in: a display counts the time each session ran, not the time between.
        recorded: events.filter((event) => event.type !== 'task:delta' && event.type !== 'run:end'),
        journaled: events,
        announce: (id) =>
          `resuming run ${id}: ${kept} of ${plural(total, 'task')} kept, ${total - kept} to run\n  journal: ${journalName}`,
      },
      options,
      io,
    );
  });
}

/** The journal a resume continues: what it holds, how messages name it, and where the run appends. */
interface JournalToResume {
  contents: JournalContents;
  journalName: string;
  journal: RunJournalPlan;
}

/**
 * Finds and reads the journal of run `runId` (or of the only run whose id
 * starts with it). With `--redis`, Redis is looked in first, and the resumed
 * run appends to the same stream; a run journaled to a file (started without
 * `--redis`) is found in the journal folder and keeps its file, while its
 * calls go to the workers.
 *
 * @throws {CommandFailure} When there is no such run, or Redis does not answer (exit 2).
 */
async function journalToResume(
  runId: string,
  options: ResumeCommandOptions,
  io: CliIo,
): Promise<JournalToResume> {
  const dir = journalDirOf(options, io);
  const url = options.redis;
  const journalRedis = url === undefined ? undefined : await reachJournalRedis(url);
  if (journalRedis !== undefined && url !== undefined) {
    const inRedis = await findRedisRun(journalRedis, runId, url);
    if (inRedis !== undefined) {
      const contents = await redisFailures(journalRedis, () =>
        journalRedis.readRedisJournal(url, inRedis),
      );
      const journal: RunJournalPlan = {
        dir,
        append: true,
        redis: url,
        redisUnreachableLimitMs: journalUnreachableLimitMs(options),
      };
      return { contents, journalName: contents.path, journal };
    }
  }
  let found: FoundRun;
  try {
    found = await findRun(runId, dir, io);
  } catch (error) {
    if (journalRedis !== undefined && url !== undefined && CommandFailure.isInstance(error))
      if (error.message.startsWith('no run')) throw noRedisRun(journalRedis, runId, url);
    throw error;
  }
  const contents = await readJournal(found.path);
  const journalName = displayPath(found.path, io);
  if (contents.header.runId !== found.runId) {
    // The resumed run appends to its own id's journal: a renamed folder would be left behind.
    throw new CommandFailure(
      `${journalName} is the journal of run ${contents.header.runId}, not of ${found.runId}; its folder must be named after its run.`,
    );
  }
  return { contents, journalName, journal: { dir, append: true } };
}

/**
 * The inputs a resumed run runs with: those its journal recorded when it
 * started, so its remaining prompts are rendered as its first ones were. An
 * `--input` may repeat a recorded value, not change it. A journal without
 * recorded inputs (one of them held an API key, or it was written by another
 * host) takes them with `--input`, as `run` does.
 *
 * @throws {CommandFailure} When an `--input` differs from the recorded value (exit 2).
 */
async function resumeInputs(
  header: JournalHeader,
  options: InputOptions,
  io: CliIo,
): Promise<Record<string, InputValue>> {
  const { workflow, inputs: recorded } = header;
  if (recorded === undefined) return inputValuesOf(workflow, options, io);
  const givenNames = new Set((options.input ?? []).map((option) => option.name));
  if (givenNames.size > 0) {
    // Each given value checked and typed against its own declaration only.
    const specs = Object.fromEntries(
      Object.entries(workflow.inputs ?? {}).filter(([name]) => givenNames.has(name)),
    );
    const given = await inputValuesOf({ inputs: specs }, options, io);
    for (const [name, value] of Object.entries(given)) {
      if (Object.hasOwn(recorded, name) && recorded[name] === value) continue;
      throw new CommandFailure(
        `--input ${name}: the run started with ${Object.hasOwn(recorded, name) ? JSON.stringify(recorded[name]) : 'no value for it'}, and a resumed run keeps the inputs its journal recorded; leave --input ${name} out.`,
      );
    }
  }
  return { ...recorded };
}

/**
 * Where the recorded workflow's own `providers:` and `profiles:` are said to
 * be written: the journal names them in messages, and module paths in them
 * (`use: ./my-provider.js`) resolve from the working directory, since the
 * workflow file's folder is not recorded.
 */
function recordedOrigin(journalName: string, io: CliIo) {
  return {
    source: `${journalName} (the recorded workflow)`,
    path: resolve(io.cwd, '.recorded-workflow'),
  };
}

/** The budget the run's last session was recorded with (see `recoverRun().budget`), found before the record is checked. */
function recordedBudget(events: readonly RunEvent[]): { maxCost: number } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'run:resume' || event.type === 'run:start') return event.budget;
  }
  return undefined;
}
