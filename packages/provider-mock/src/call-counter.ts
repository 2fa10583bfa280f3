import type { ProviderRequest } from '@multi-context/provider';

/** A read-only snapshot of the calls a mock provider has received. */
export interface MockCallStats {
  /** Calls that started: subscriptions whose signal was not already aborted. */
  readonly total: number;
  /** Calls that ended with an injected failure. */
  readonly failed: number;
  /** Calls per task id, summed over runs (so a task retried twice counts 3). */
  readonly byTask: Readonly<Record<string, number>>;
  /** Calls per context name. */
  readonly byContext: Readonly<Record<string, number>>;
}

/** Counts calls, and numbers each task's attempts within its run. */
export class CallCounter {
  #total = 0;
  #failed = 0;
  readonly #byContext = new Map<string, number>();
  // Attempts per task, per run: running a workflow again starts its tasks at
  // attempt 1. The per-task totals are summed from it when asked for, which
  // keeps a call to one map insert (benchmarks make a lot of them).
  readonly #attempts = new Map<string, Map<string, number>>();

  /** Records a starting call and returns its attempt number (1 for a task's first call in a run). */
  record(request: ProviderRequest): number {
    this.#total++;
    this.#byContext.set(request.contextName, (this.#byContext.get(request.contextName) ?? 0) + 1);
    let run = this.#attempts.get(request.runId);
    if (run === undefined) {
      run = new Map();
      this.#attempts.set(request.runId, run);
    }
    const attempt = (run.get(request.taskId) ?? 0) + 1;
    run.set(request.taskId, attempt);
    return attempt;
  }

  /** Records that a call ended with an injected failure. */
  recordFailure(): void {
    this.#failed++;
  }

  /** A frozen copy of the counts, which later calls do not change. */
  snapshot(): MockCallStats {
    const byTask = new Map<string, number>();
    for (const run of this.#attempts.values()) {
      for (const [taskId, count] of run) byTask.set(taskId, (byTask.get(taskId) ?? 0) + count);
    }
    return Object.freeze({
      total: this.#total,
      failed: this.#failed,
      byTask: Object.freeze(Object.fromEntries(byTask)),
      byContext: Object.freeze(Object.fromEntries(this.#byContext)),
    });
  }
}
