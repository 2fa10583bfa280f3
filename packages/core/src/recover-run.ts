import type {
  EventMessage,
  RunEvent,
  TaskResult,
  Usage,
  WorkflowResult,
} from '@multi-context/events';
import type { Workflow } from '@multi-context/workflow';
import { OrchestratorConfigError } from './orchestrator-config-error.js';
import { type RecoveredStep, recoverSteps } from './recover-steps.js';

/** What a resumed run starts from: derived from the events of the interrupted one. */
export interface RecoveredRun {
  runId: string;
  /** The `seq` of the last recorded event; the resumed run continues at the next. */
  lastSeq: number;
  /** Epoch ms of the recorded `run:start`. */
  startedAt: number;
  /**
   * How long the recorded sessions ran, in ms: each from its `run:start` or
   * `run:resume` to its last recorded event. The time between a session's
   * last event and the next resume (the process was not running) is not
   * counted: a resumed run's duration adds its own time to this.
   */
  ranMs: number;
  /** Tasks whose recorded end is kept (succeeded or failed): never sent to a provider again. */
  completed: Map<string, TaskResult>;
  /** Tasks that started and did not end, or ended cancelled: they run again. */
  interrupted: string[];
  /** Each context's messages, from the tasks that succeeded, in the order they were appended. */
  histories: Map<string, EventMessage[]>;
  /** Each context's last summary (the summarising policy), to apply over its rebuilt history. */
  summaries: Map<string, { content: string; covers: number }>;
  /**
   * The tool steps of the interrupted tasks, by task id: a resumed task
   * continues from them, sends no completed model step again and runs no
   * recorded tool call again.
   */
  steps: Map<string, RecoveredStep[]>;
  /** The recorded result, when the run ended (succeeded or failed) and there is nothing to resume. */
  ended: WorkflowResult | undefined;
  /**
   * What the recorded sessions cost: every recorded task end's cost, the
   * ends of tasks that run again included (their calls were paid for), and
   * the tool steps of a task cut off before its end. A resumed run's budget
   * counts it.
   */
  cost: number;
  /** The currency of `cost`, when the record says. */
  currency: string | undefined;
  /** The budget the last session ran with, as its `run:start` or `run:resume` recorded it. */
  budget: { maxCost: number; hard: boolean } | undefined;
}

/**
 * Derives what a resume needs from a run's recorded events (a journal).
 *
 * A task counts as done when its last `task:end` says `succeeded` or `failed`;
 * a task that started without ending, or ended `cancelled`, runs again. A
 * context's history is rebuilt only from the `context:message` events of tasks
 * that succeeded, so a task interrupted between its messages and its end
 * leaves no trace; the tool steps it had recorded are kept apart (`steps`),
 * for the task to continue from. A run that ended `cancelled` can be resumed; one that ended
 * `succeeded` or `failed` has nothing left to do (`ended`).
 *
 * Throws {@link OrchestratorConfigError} when the events are not a run of
 * `workflow` (another workflow, gaps in `seq`, another run's events mixed in).
 */
export function recoverRun(workflow: Workflow, events: readonly RunEvent[]): RecoveredRun {
  const first = events[0];
  if (first === undefined || first.type !== 'run:start') {
    throw new OrchestratorConfigError('Cannot resume: the record does not begin with run:start.');
  }
  const runId = first.runId;
  const recordedIds = first.phases.map((phase) => phase.taskIds.join('\u0000')).join('\u0001');
  const workflowIds = workflow.phases
    .map((phase) => phase.tasks.map((task) => task.id).join('\u0000'))
    .join('\u0001');
  if (first.workflowName !== workflow.name || recordedIds !== workflowIds) {
    throw new OrchestratorConfigError(
      `Cannot resume run ${runId}: it was a run of another workflow ("${first.workflowName}", ${first.totalTasks} tasks).`,
    );
  }
  const tasks = new Map(
    workflow.phases.flatMap((phase) => phase.tasks.map((task) => [task.id, task] as const)),
  );

  const ends = new Map<string, RunEvent & { type: 'task:end' }>();
  const started = new Set<string>();
  const profiles = new Map<string, string>();
  let ended: WorkflowResult | undefined;
  let cost = 0;
  let currency: string | undefined;
  const paid = (usage: Usage | undefined): void => {
    if (usage?.cost === undefined) return;
    cost += usage.cost;
    currency ??= usage.currency;
  };
  // The cost of the tool steps of a task since its last start, until its end (which counts them
  // again in its total) takes their place: a task a crash cut off in its tool loop paid for them.
  const stepsPaid = new Map<string, Usage[]>();
  let budget: RecoveredRun['budget'];
  events.forEach((event, index) => {
    if (event.runId !== runId || event.seq !== index) {
      throw new OrchestratorConfigError(
        `Cannot resume run ${runId}: event ${index} is ${event.runId !== runId ? `of run ${event.runId}` : `numbered ${event.seq}`}.`,
      );
    }
    if (event.type === 'task:start') {
      started.add(event.taskId);
      profiles.set(event.taskId, event.profile);
      stepsPaid.delete(event.taskId);
    } else if (event.type === 'task:tool-call') {
      if (event.usage !== undefined) {
        const steps = stepsPaid.get(event.taskId);
        if (steps === undefined) stepsPaid.set(event.taskId, [event.usage]);
        else steps.push(event.usage);
      }
    } else if (event.type === 'task:end') {
      ends.set(event.taskId, event);
      stepsPaid.delete(event.taskId);
      paid(event.usage);
    } else if (event.type === 'run:end') {
      ended = event.status === 'cancelled' ? undefined : event.result;
    } else if (event.type === 'run:resume') {
      ended = undefined;
      budget = event.budget;
    } else if (event.type === 'run:start') {
      budget = event.budget;
    }
  });

  for (const steps of stepsPaid.values()) for (const usage of steps) paid(usage);

  const completed = new Map<string, TaskResult>();
  for (const [taskId, end] of ends) {
    if (end.status !== 'succeeded' && end.status !== 'failed') continue;
    const task = tasks.get(taskId)!;
    const result: TaskResult = {
      taskId,
      contextName: task.contextName,
      profile: profiles.get(taskId) ?? task.profile ?? workflow.defaultProfile ?? 'default',
      status: end.status,
      success: end.status === 'succeeded',
      attempts: end.attempts,
      durationMs: end.durationMs,
    };
    if (end.response !== undefined) result.response = end.response;
    if (end.json !== undefined) result.json = end.json;
    if (end.error !== undefined) result.error = end.error;
    if (end.usage !== undefined) result.usage = end.usage;
    completed.set(taskId, result);
  }

  // Only the messages after a task's last start count: a task whose messages were
  // recorded but whose end was lost ran again, and its first messages are void.
  const lastStart = new Map<string, number>();
  for (const event of events)
    if (event.type === 'task:start') lastStart.set(event.taskId, event.seq);
  const histories = new Map<string, EventMessage[]>();
  for (const event of events) {
    if (event.type !== 'context:message') continue;
    if (completed.get(event.taskId)?.status !== 'succeeded') continue;
    if (event.seq < (lastStart.get(event.taskId) ?? 0)) continue;
    const history = histories.get(event.contextName) ?? [];
    history.push(event.message);
    histories.set(event.contextName, history);
  }

  const summaries = new Map<string, { content: string; covers: number }>();
  for (const event of events) {
    if (event.type === 'context:trim' && event.summary !== undefined)
      summaries.set(event.contextName, event.summary);
  }

  const interrupted = [...started].filter((taskId) => !completed.has(taskId));
  return {
    summaries,
    steps: recoverSteps(events, new Set(interrupted)),
    runId,
    lastSeq: events.length - 1,
    startedAt: first.time,
    ranMs: sessionTime(events),
    completed,
    interrupted,
    histories,
    ended,
    cost,
    currency,
    budget,
  };
}

/** The time the sessions of a record ran: each from its first event to its last. */
function sessionTime(events: readonly RunEvent[]): number {
  let total = 0;
  let sessionStart = events[0]?.time ?? 0;
  let last = sessionStart;
  for (const event of events) {
    if (event.type === 'run:resume') {
      total += Math.max(0, last - sessionStart);
      sessionStart = event.time;
    }
    last = event.time;
  }
  return total + Math.max(0, last - sessionStart);
}
