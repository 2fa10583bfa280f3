import type { TaskResult } from '@multi-context/events';
import type { Phase } from '@multi-context/workflow';

/** How many tasks start before the start loop yields a microtask (see #startReady). */
const START_BATCH = 1024;

/** What a phase asks of the run: start one of its tasks. */
export interface PhaseHost {
  /** Starts task `index` of `phase`; the run calls `phase.taskEnded(index, result)` when it ends. */
  startTask(phase: PhaseExecution, index: number): void;
}

/**
 * Schedules the tasks of one phase and collects their results in declaration
 * order. Tasks run in lanes: a sequential phase is one lane; in a parallel
 * phase every context is a lane, so tasks that share a context take turns and
 * all others run at once, up to `maxConcurrency` lanes at a time when the
 * phase sets one. A task may end inside `startTask` (a provider that
 * answers synchronously), so starting is a loop rather than recursion: a
 * sequential phase of any length never deepens the stack.
 */
export class PhaseExecution {
  readonly phase: Phase;
  readonly phaseIndex: number;
  readonly results: TaskResult[];
  readonly done: Promise<TaskResult[]>;
  readonly #host: PhaseHost;
  #resolve!: (results: TaskResult[]) => void;
  #remaining: number;
  /** For each task, the next task of its lane, or -1; undefined when every task is its own lane. */
  #nextInLane: Int32Array | undefined;
  readonly #ready: number[] = [];
  #readyHead = 0;
  #starting = false;
  #yielded = false;
  #active = 0;
  readonly #limit: number;

  constructor(host: PhaseHost, phase: Phase, phaseIndex: number, maxConcurrency?: number) {
    this.#limit = maxConcurrency ?? Number.POSITIVE_INFINITY;
    this.#host = host;
    this.phase = phase;
    this.phaseIndex = phaseIndex;
    const count = phase.tasks.length;
    this.results = new Array(count);
    this.#remaining = count;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Starts the first task of every lane. */
  start(): Promise<TaskResult[]> {
    const { tasks } = this.phase;
    if (tasks.length === 0) {
      this.#resolve(this.results);
      return this.done;
    }
    if (this.phase.executionMode === 'sequential') {
      const next = new Int32Array(tasks.length);
      for (let i = 0; i < tasks.length; i++) next[i] = i + 1 < tasks.length ? i + 1 : -1;
      this.#nextInLane = next;
      this.#ready.push(0);
    } else {
      const lastInContext = new Map<string, number>();
      let next: Int32Array | undefined;
      for (let i = 0; i < tasks.length; i++) {
        const previous = lastInContext.get(tasks[i]!.contextName);
        if (previous === undefined) {
          this.#ready.push(i);
        } else {
          // Lanes are needed only once two tasks share a context.
          next ??= new Int32Array(tasks.length).fill(-1);
          next[previous] = i;
        }
        lastInContext.set(tasks[i]!.contextName, i);
      }
      this.#nextInLane = next;
    }
    this.#startReady();
    return this.done;
  }

  /** Records a task's result and starts the next task of its lane. */
  taskEnded(index: number, result: TaskResult): void {
    this.results[index] = result;
    this.#active--;
    const next = this.#nextInLane?.[index] ?? -1;
    if (next >= 0) this.#ready.push(next);
    this.#remaining--;
    this.#startReady();
    if (this.#remaining === 0) this.#resolve(this.results);
  }

  #startReady(): void {
    // Re-entered from taskEnded while a task is being started: the outer loop goes on.
    if (this.#starting || this.#yielded) return;
    this.#starting = true;
    try {
      let started = 0;
      while (this.#readyHead < this.#ready.length && this.#active < this.#limit) {
        if (started === START_BATCH) {
          // Let the answers that are already there be handled before starting more: every
          // task still starts in this turn, but instant answers do not pile up in memory.
          this.#yielded = true;
          queueMicrotask(() => {
            this.#yielded = false;
            this.#startReady();
          });
          return;
        }
        started++;
        this.#active++;
        this.#host.startTask(this, this.#ready[this.#readyHead++]!);
      }
      if (this.#readyHead === this.#ready.length && this.#readyHead > 0) {
        this.#ready.length = 0;
        this.#readyHead = 0;
      }
    } finally {
      this.#starting = false;
    }
  }
}
