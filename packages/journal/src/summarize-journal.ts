import type { RunStatus, TaskStatus } from '@multi-context/events';
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
  // The last end of each task counts: a task cancelled, then run again on resume, ended once more.
  const ends = new Map<string, TaskStatus>();
  if (result !== undefined) {
    for (const phase of result.phases)
      for (const task of phase.results) ends.set(task.taskId, task.status);
  } else {
    for (const event of events) if (event.type === 'task:end') ends.set(event.taskId, event.status);
  }
  const counts: Record<TaskStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  let resumes = 0;
  for (const event of events) if (event.type === 'run:resume') resumes++;
  for (const status of ends.values()) counts[status]++;
  const first = events[0];
  const summary: JournalSummary = {
    runId: header.runId,
    workflowName: header.workflow.name,
    status: result?.status ?? 'incomplete',
    startedAt: first?.time ?? header.createdAt,
    lastEventAt: events.at(-1)?.time ?? header.createdAt,
    totalTasks: header.workflow.phases.reduce((sum, phase) => sum + phase.tasks.length, 0),
    ...counts,
    resumes,
    truncated: contents.truncated,
    path: contents.path,
  };
  if (result !== undefined) summary.durationMs = result.durationMs;
  return summary;
}
