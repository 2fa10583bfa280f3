import type { RunEvent, TaskStatus } from '@multi-context/events';
import type { RunListEntry } from '../run-list-entry.js';

/**
 * A run's list entry, kept up to date one event at a time: what a live run's
 * source answers the run list with, without going through its events again.
 */
export class RunTally {
  readonly runId: string;
  #workflowName: string;
  #startedAt: number;
  #total = 0;
  #tokens = 0;
  #durationMs: number | undefined;
  #status: RunListEntry['status'] = 'running';
  /** Each task's last end: a task cancelled, then run again on resume, counts once. */
  readonly #ends = new Map<string, TaskStatus>();

  constructor(runId: string, workflowName: string, startedAt: number) {
    this.runId = runId;
    this.#workflowName = workflowName;
    this.#startedAt = startedAt;
  }

  /** Takes one event of the run into account. */
  add(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.#workflowName = event.workflowName;
        this.#startedAt = event.time;
        this.#total = event.totalTasks;
        break;
      case 'run:resume':
        this.#status = 'running';
        this.#durationMs = undefined;
        break;
      case 'task:end':
        this.#ends.set(event.taskId, event.status);
        this.#tokens += event.usage?.totalTokens ?? 0;
        break;
      case 'run:end':
        this.#status = event.status;
        this.#durationMs = event.result.durationMs;
        this.#total = event.result.totalTasks;
        this.#tokens = event.result.usage.totalTokens;
        break;
    }
  }

  /** Whether the run's last event so far is its `run:end`. */
  get ended(): boolean {
    return this.#status !== 'running';
  }

  /** The list entry as things stand; `live` and a status for a run that stopped without an end are the caller's. */
  entry(live: boolean, stoppedStatus?: 'interrupted'): RunListEntry {
    const tasks = { total: this.#total, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
    for (const status of this.#ends.values()) tasks[status]++;
    const entry: RunListEntry = {
      runId: this.runId,
      workflowName: this.#workflowName,
      status:
        this.#status === 'running' && stoppedStatus !== undefined ? stoppedStatus : this.#status,
      startedAt: this.#startedAt,
      tasks,
      tokens: this.#tokens,
      live,
    };
    if (this.#durationMs !== undefined) entry.durationMs = this.#durationMs;
    return entry;
  }
}
