import { resolve } from 'node:path';
import { OrchestratorConfigError, recoverRun } from '@multi-context/core';
import { readJournal } from '@multi-context/journal';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { plural } from './format.js';
import {
  CommandFailure,
  displayPath,
  findRun,
  journalCommand,
  journalDirOf,
} from './journal-options.js';
import { type RunCommandOptions, runWorkflow } from './run-command.js';

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
    const dir = journalDirOf(options, io);
    const found = await findRun(runId, dir, io);
    const contents = await readJournal(found.path);
    const { header, events } = contents;
    const { workflow } = header;
    const journalName = displayPath(found.path, io);
    // Machines reading --json get only events on stdout.
    const say = (line: string) =>
      (options.json === true ? io.stderr : io.stdout).write(`${line}\n`);

    if (events.length === 0) {
      // The process died before the first event was written: the run never started.
      return runWorkflow(
        {
          workflow,
          origin: recordedOrigin(journalName, io),
          start: (orchestrator) => orchestrator.run(workflow, { runId: header.runId }),
          journal: { dir, append: true },
          announce: (id) => `run ${id} never started; starting it now (journal: ${journalName})`,
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
    const total = workflow.phases.reduce((sum, phase) => sum + phase.tasks.length, 0);
    const kept = recovered.completed.size;
    return runWorkflow(
      {
        workflow,
        origin: recordedOrigin(journalName, io),
        start: (orchestrator) => orchestrator.resume(workflow, { events }),
        journal: { dir, append: true },
        recorded: events.filter(
          (event) =>
            event.type !== 'task:delta' && event.type !== 'run:end' && event.type !== 'run:resume',
        ),
        announce: (id) =>
          `resuming run ${id}: ${kept} of ${plural(total, 'task')} kept, ${total - kept} to run (journal: ${journalName})`,
      },
      options,
      io,
    );
  });
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
