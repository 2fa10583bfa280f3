import type { RunEvent, RunEventType, WorkflowResult } from '@multi-context/events';
import type { Workflow } from '@multi-context/workflow';
import type { Observable } from 'rxjs';
import type { RunEventListener } from './run-listeners.js';

/**
 * One run of a workflow: its id, its event stream and its result. Returned by
 * `MultiContextOrchestrator.run()` and `resume()`; the run starts on the next
 * turn of the event loop, so subscribing right after `run()` (even after
 * awaiting an async function that returned it) sees every event from
 * `run:start` on.
 *
 * @example
 * const run = orchestrator.run(workflow);
 * run.on('task:end', (end) => console.log(end.taskId, end.status));
 * const result = await run.result;
 */
export interface WorkflowRun {
  /** The id every event of this run carries. */
  readonly runId: string;
  /** The workflow it runs. */
  readonly workflow: Workflow;
  /**
   * Every event of the run, in order; completes after `run:end`. Hot: subscribe
   * before the run starts (right after `run()`) to see all of them, or run with
   * `replay` for late subscribers to get the events so far first.
   */
  readonly events$: Observable<RunEvent>;
  /** Resolves with the run's result after `run:end`; never rejects because a task failed. */
  readonly result: Promise<WorkflowResult>;
  /** Whether the run was cancelled (by `cancel()` or its signal). */
  readonly cancelled: boolean;
  /**
   * Cancels the run: aborts every in-flight provider call, starts nothing new,
   * and ends the run as `cancelled`. Tasks that already ended keep their status.
   * Does nothing once the run has ended.
   */
  cancel(reason?: string): void;
  /**
   * Listens to one event type (or `'*'` for all): an eventemitter3 facade over
   * `events$` for hosts that do not use RxJS. A listener that throws is
   * reported and does not disturb the run or other listeners. With `replay`,
   * a listener added late first gets the kept events of its type.
   */
  on<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this;
  /** Like {@link WorkflowRun.on}, for the first such event only. */
  once<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this;
  /** Removes a listener added with {@link WorkflowRun.on} or {@link WorkflowRun.once}. */
  off<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this;
}
