import type { RunStatus, TaskStatus, WorkflowResult } from '@multi-context/events';
import type { JournalHeader } from './journal-format.js';
import type { JournalContents } from './read-journal.js';

/** One line of a run history. */
export interface JournalSummary {
  runId: string;
  workflowName: string;
  /**
   * How the run ended, from the `run:end` the journal ends with; `incomplete`
   * without one: the run is still being written, or its process died (a
   * journal cannot tell which) and it can be resumed. A `cancelled` run can be
   * resumed too.
   */
  status: RunStatus | 'incomplete';
  /** Epoch milliseconds of `run:start` (of the header, when the journal has no event). */
  startedAt: number;
  /** Epoch milliseconds of the last recorded event. */
  lastEventAt: number;
  /** The run's duration, from its result; undefined while it has none. */
  durationMs?: number;
  totalTasks: number;
  /** Tasks by how they (last) ended; tasks that have not ended are in none of these. */
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  /** How many times the run was resumed (its `run:resume` events). */
  resumes: number;
  /** Whether a torn last line was dropped when reading. */
  truncated: boolean;
  /** The journal file. */
  path: string;
}

/**
 * The history line of a journal: status, times and task counts.
 *
 * @example
 * const { runId, status, succeeded, failed } = summarizeJournal(await readJournal(path));
 */
export function summarizeJournal(contents: JournalContents): JournalSummary {
  const { header, events, result } = contents;
  const taskEnds = new Map<string, TaskStatus>();
  let resumes = 0;
  for (const event of events) {
    if (event.type === 'task:end') taskEnds.set(event.taskId, event.status);
    else if (event.type === 'run:resume') resumes++;
  }
  return buildSummary({
    header,
    path: contents.path,
    firstEventAt: events[0]?.time,
    lastEventAt: events.at(-1)?.time,
    result,
    taskEnds,
    resumes,
    truncated: contents.truncated,
  });
}

/** What a summary is made of, however much of the journal was read to learn it. */
export interface SummaryFacts {
  header: JournalHeader;
  path: string;
  /** Times of the first and last recorded events; undefined when there is none. */
  firstEventAt: number | undefined;
  lastEventAt: number | undefined;
  /** The run's result, from the `run:end` the journal ends with. */
  result: WorkflowResult | undefined;
  /** Each task's last recorded end; not needed when there is a result. */
  taskEnds: ReadonlyMap<string, TaskStatus>;
  resumes: number;
  truncated: boolean;
}

/** A journal's summary from the facts read from it. */
export function buildSummary(facts: SummaryFacts): JournalSummary {
  const { header, result } = facts;
  // The last end of each task counts: a task cancelled, then run again on resume, ended once more.
  const ends = new Map<string, TaskStatus>();
  if (result !== undefined) {
    for (const phase of result.phases)
      for (const task of phase.results) ends.set(task.taskId, task.status);
  } else {
    for (const [taskId, status] of facts.taskEnds) ends.set(taskId, status);
  }
  const counts: Record<TaskStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const status of ends.values()) counts[status]++;
  const summary: JournalSummary = {
    runId: header.runId,
    workflowName: header.workflow.name,
    status: result?.status ?? 'incomplete',
    startedAt: facts.firstEventAt ?? header.createdAt,
    lastEventAt: facts.lastEventAt ?? header.createdAt,
    totalTasks: header.workflow.phases.reduce((sum, phase) => sum + phase.tasks.length, 0),
    ...counts,
    resumes: facts.resumes,
    truncated: facts.truncated,
    path: facts.path,
  };
  if (result !== undefined) summary.durationMs = result.durationMs;
  return summary;
}
