import type { MultiContextOrchestrator, WorkflowRun } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import type { DocumentOrigin } from '@multi-context/providers';
import type { InputValue, Workflow } from '@multi-context/workflow';
import type { CliIo } from '../cli-io.js';
import { displayPath } from '../options/journal-options.js';
import type { RunJournalPlan } from './run-journal.js';

/**
 * What `run` and `resume` hand to `runWorkflow()`, which sets up the
 * providers, starts the run, shows it and journals it the same way for both.
 */
export interface WorkflowRunPlan {
  /** The workflow to run: the file's for `run`, the journal's for `resume`. */
  workflow: Workflow;
  /** Where the workflow's own `providers:` and `profiles:` sections are written. */
  origin: DocumentOrigin;
  /** The run's input values, recorded in a new journal's header so a resume runs with them. */
  inputs?: Readonly<Record<string, InputValue>>;
  /** The run's id: a resumed run's own; a new UUID by default. */
  runId?: string;
  /** Starts run `runId` on the orchestrator set up for it (`run()` or `resume()`). */
  start(orchestrator: MultiContextOrchestrator, runId: string): WorkflowRun;
  /** Where to journal the run; undefined with `--no-journal`. */
  journal: RunJournalPlan | undefined;
  /**
   * The events an earlier session of the run recorded (a resume): the
   * display is given them first, so it starts where the run stands. `--json`
   * prints only the new session's events, which are what the journal gains.
   */
  recorded?: readonly RunEvent[];
  /** Every event an earlier session journaled, as written (a resume): what `--ui`'s page starts from. */
  journaled?: readonly RunEvent[];
  /** The line stderr gets once the run has its id; {@link announceRun} by default. */
  announce?: (runId: string, journalPath: string | undefined) => string;
}

/**
 * `run <id>`, and its journal on a line of its own: the id to resume, show or
 * replay the run with. Two lines, because a run id and a journal path that
 * holds it do not fit a terminal's width on one.
 */
export function announceRun(runId: string, journalPath: string | undefined, io: CliIo): string {
  return journalPath === undefined
    ? `run ${runId} (not journaled)`
    : `run ${runId}\n  journal: ${displayPath(journalPath, io)}`;
}
