import type {
  EventError,
  ExecutionMode,
  PhaseStatus,
  RunEvent,
  RunStatus,
  TaskStatus,
  Usage,
  WorkflowResult,
} from '@multi-context/events';
import { toolCallText } from './tool-call-text.js';

/** Where a task is: not started, in flight, waiting to retry, or ended with a status. */
export type TaskState = 'pending' | 'running' | 'retrying' | TaskStatus;

/** Where a phase is. */
export type PhaseState = 'pending' | 'running' | PhaseStatus;

/** What the display knows about one task. */
export interface TaskView {
  taskId: string;
  phaseIndex: number;
  /** Known once the task starts (tasks skipped or cancelled before starting never say). */
  contextName: string | undefined;
  profile: string | undefined;
  state: TaskState;
  /** The attempt in flight, or the number made once ended. */
  attempts: number;
  /** Epoch ms of `task:start`. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  /** The tail of the text streamed by the current attempt. */
  streamed: string;
  response: string | undefined;
  error: EventError | undefined;
  /** When the task is waiting to retry: until when (epoch ms). */
  retryAt: number | undefined;
  usage: Usage | undefined;
}

/** What the display knows about one phase. */
export interface PhaseView {
  index: number;
  name: string;
  executionMode: ExecutionMode;
  taskIds: string[];
  state: PhaseState;
  startedAt: number | undefined;
  endedAt: number | undefined;
}

// Only a snippet is ever shown, so a long answer is not kept whole while it streams.
const streamedTailLength = 400;

/**
 * The state of a run as its events tell it, for displays to draw. Feed it every
 * event of `run.events$` in order with {@link RunView.apply}; it never looks
 * anywhere else.
 */
export class RunView {
  workflowName = '';
  totalTasks = 0;
  readonly phases: PhaseView[] = [];
  readonly tasks = new Map<string, TaskView>();
  startedAt: number | undefined;
  endedAt: number | undefined;
  status: 'waiting' | 'running' | RunStatus = 'waiting';
  result: WorkflowResult | undefined;

  /** Epoch ms the current session started: `run:start`, or the last `run:resume`. */
  #sessionStartedAt: number | undefined;
  /** How long the run's earlier sessions ran, each up to its last event (a resume's downtime left out). */
  #ranBeforeMs = 0;
  #lastEventAt: number | undefined;

  /**
   * How long the run has run at `now`: core's measure once it ended, else
   * the time since it started, less the time it was stopped before a resume.
   */
  elapsedMs(now: number): number {
    if (this.result !== undefined) return this.result.durationMs;
    const since = this.#sessionStartedAt ?? now;
    return this.#ranBeforeMs + Math.max(0, (this.endedAt ?? now) - since);
  }

  /** Folds one event into the view. */
  apply(event: RunEvent): void {
    this.#track(event);
    switch (event.type) {
      case 'run:start':
        this.workflowName = event.workflowName;
        this.totalTasks = event.totalTasks;
        this.startedAt = event.time;
        this.status = 'running';
        event.phases.forEach((phase, index) => {
          this.phases.push({
            index,
            name: phase.name,
            executionMode: phase.executionMode,
            taskIds: [...phase.taskIds],
            state: 'pending',
            startedAt: undefined,
            endedAt: undefined,
          });
          for (const taskId of phase.taskIds) this.tasks.set(taskId, pendingTask(taskId, index));
        });
        break;
      case 'phase:start': {
        const phase = this.phases[event.phaseIndex];
        if (phase !== undefined) {
          phase.state = 'running';
          phase.startedAt = event.time;
        }
        break;
      }
      case 'phase:end': {
        const phase = this.phases[event.phaseIndex];
        if (phase !== undefined) {
          phase.state = event.status;
          phase.endedAt = event.time;
        }
        break;
      }
      case 'task:start': {
        const task = this.#task(event.taskId, event.phaseIndex);
        task.contextName = event.contextName;
        task.profile = event.profile;
        task.state = 'running';
        task.attempts = 1;
        task.startedAt = event.time;
        break;
      }
      case 'task:delta': {
        const task = this.#task(event.taskId);
        task.state = 'running';
        task.retryAt = undefined;
        task.streamed = (task.streamed + event.text).slice(-streamedTailLength);
        break;
      }
      case 'task:tool-call': {
        // The running task's line shows its latest tool call where its streamed text goes.
        const task = this.#task(event.taskId);
        task.streamed = `⚙ ${toolCallText(event.tool, event.arguments)}`;
        break;
      }
      case 'task:retry': {
        const task = this.#task(event.taskId);
        task.state = 'retrying';
        task.attempts = event.attempt;
        task.error = event.error;
        task.retryAt = event.time + event.delayMs;
        // The next attempt streams its answer from the start.
        task.streamed = '';
        break;
      }
      case 'task:end': {
        const task = this.#task(event.taskId);
        task.state = event.status;
        task.attempts = event.attempts;
        task.durationMs = event.durationMs;
        task.response = event.response;
        task.error = event.error;
        task.usage = event.usage;
        task.retryAt = undefined;
        break;
      }
      case 'run:end':
        this.status = event.status;
        this.endedAt = event.time;
        this.result = event.result;
        break;
      case 'context:message':
      case 'context:trim':
        break;
    }
  }

  #track(event: RunEvent): void {
    if (event.type === 'run:start') this.#sessionStartedAt = event.time;
    if (event.type === 'run:resume') {
      // The earlier session ran until its last event; the process was stopped from then on.
      const started = this.#sessionStartedAt ?? event.time;
      this.#ranBeforeMs += Math.max(0, (this.#lastEventAt ?? started) - started);
      this.#sessionStartedAt = event.time;
    }
    this.#lastEventAt = event.time;
  }

  #task(taskId: string, phaseIndex = 0): TaskView {
    let task = this.tasks.get(taskId);
    if (task === undefined) {
      // Only a stream that skipped run:start gets here; keep going rather than throw.
      task = pendingTask(taskId, phaseIndex);
      this.tasks.set(taskId, task);
    }
    return task;
  }
}

function pendingTask(taskId: string, phaseIndex: number): TaskView {
  return {
    taskId,
    phaseIndex,
    contextName: undefined,
    profile: undefined,
    state: 'pending',
    attempts: 0,
    startedAt: undefined,
    durationMs: undefined,
    streamed: '',
    response: undefined,
    error: undefined,
    retryAt: undefined,
    usage: undefined,
  };
}
