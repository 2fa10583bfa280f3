import type {
  EventError,
  ExecutionMode,
  PhaseStatus,
  RunStopReason,
  TaskEndEvent,
  TaskStartEvent,
  TaskStatus,
  Usage,
} from '@multi-context/events';
import {
  type JournalContents,
  type JournalSummary,
  summarizeJournal,
} from '@multi-context/journal';

/**
 * How a task stands in a journal: how it ended, or `started` (its start is
 * recorded and its end is not: it is running, or its process died), or
 * `pending` (never started).
 */
export type TaskReportStatus = TaskStatus | 'started' | 'pending';

/** How a phase stands in a journal; see {@link TaskReportStatus}. */
export type PhaseReportStatus = PhaseStatus | 'started' | 'pending';

/** One task of `multi-context show`. */
export interface TaskReport {
  taskId: string;
  contextName: string;
  /** The profile it ran with; the one it would run with when it never started. */
  profile: string;
  status: TaskReportStatus;
  /** Attempts of its last recorded end (0 for a task never sent). */
  attempts?: number;
  durationMs?: number;
  usage?: Usage;
  response?: string;
  json?: unknown;
  error?: EventError;
}

/** One phase of `multi-context show`. */
export interface PhaseReport {
  name: string;
  executionMode: ExecutionMode;
  status: PhaseReportStatus;
  /** The sum of its tasks' usage, once the run ended. */
  usage?: Usage;
  tasks: TaskReport[];
}

/**
 * What `multi-context show --json` prints: the journal's summary (as
 * `multi-context runs --json` gives it), the run's usage once it ended, and
 * each phase with each task. For a run that ended, the tasks are its
 * result's; for one that did not, what the journal knows so far.
 */
export interface RunReport extends JournalSummary {
  usage?: Usage;
  /** Why the run stopped early, when its budget stopped it. */
  reason?: RunStopReason;
  phases: PhaseReport[];
}

/** The report of one journal; see {@link RunReport}. */
export function reportRun(contents: JournalContents): RunReport {
  const summary = summarizeJournal(contents);
  const { result } = contents;
  if (result !== undefined) {
    return {
      ...summary,
      usage: result.usage,
      ...(result.reason !== undefined && { reason: result.reason }),
      phases: result.phases.map((phase) => ({
        name: phase.name,
        executionMode: phase.executionMode,
        status: phase.status,
        usage: phase.usage,
        tasks: phase.results.map(({ success: _success, ...task }) => task),
      })),
    };
  }
  return { ...summary, phases: phasesSoFar(contents) };
}

/** Each phase and task as the journal's last record of it says, for a run without `run:end`. */
function phasesSoFar(contents: JournalContents): PhaseReport[] {
  const phaseStates = new Map<number, PhaseReportStatus>();
  const starts = new Map<string, TaskStartEvent>();
  const ends = new Map<string, TaskEndEvent | undefined>();
  for (const event of contents.events) {
    if (event.type === 'phase:start') phaseStates.set(event.phaseIndex, 'started');
    else if (event.type === 'phase:end') phaseStates.set(event.phaseIndex, event.status);
    else if (event.type === 'task:start') {
      starts.set(event.taskId, event);
      // A start after an end (a resumed task) makes it started again.
      ends.set(event.taskId, undefined);
    } else if (event.type === 'task:end') ends.set(event.taskId, event);
  }
  const { workflow } = contents.header;
  return workflow.phases.map((phase, index) => ({
    name: phase.name,
    executionMode: phase.executionMode,
    status: phaseStates.get(index) ?? 'pending',
    tasks: phase.tasks.map((task): TaskReport => {
      const start = starts.get(task.id);
      const end = ends.get(task.id);
      const report: TaskReport = {
        taskId: task.id,
        contextName: task.contextName,
        // Core's fallback when neither names one.
        profile: start?.profile ?? task.profile ?? workflow.defaultProfile ?? 'default',
        status: end?.status ?? (start === undefined ? 'pending' : 'started'),
      };
      if (end === undefined) return report;
      const { attempts, durationMs, usage, response, json, error } = end;
      return {
        ...report,
        attempts,
        durationMs,
        ...(usage !== undefined && { usage }),
        ...(response !== undefined && { response }),
        ...(json !== undefined && { json }),
        ...(error !== undefined && { error }),
      };
    }),
  }));
}
