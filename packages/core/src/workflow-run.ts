import type { ExecutionContext } from '@multi-context/context';
import {
  addUsage,
  type EventError,
  emptyUsage,
  type PhaseResult,
  type PhaseStatus,
  type RunEvent,
  type RunEventOf,
  type RunEventPayload,
  type RunEventType,
  type RunStatus,
  type TaskResult,
  type Usage,
  type WorkflowResult,
} from '@multi-context/events';
import {
  type ChatMessage,
  ProviderError,
  type ProviderRequest,
  type ProviderUsage,
} from '@multi-context/provider';
import type { Task, Workflow } from '@multi-context/workflow';
import { EventEmitter } from 'eventemitter3';
import { type Observable, Subject } from 'rxjs';
import { RunCancelledError, TaskTimeoutError } from './errors.js';
import { RunEventStream, type SubscriberErrorHandler } from './event-stream.js';
import { PhaseExecution, type PhaseHost } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import { type Abortable, type AttemptOwner, ProviderAttempt } from './provider-attempt.js';
import type { RecoveredRun } from './recover-run.js';
import { type RetryPolicy, retryDelay } from './retry-policy.js';

/** What the orchestrator lends a run. */
export interface RunDependencies {
  /** The profile a task runs with (already checked before the run started). */
  profileFor(task: Task): ResolvedProfile;
  /** The context a task runs in, with the run's history limit. */
  context(name: string, maxHistory: number): ExecutionContext;
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  onSubscriberError: SubscriberErrorHandler;
  random: () => number;
}

/** Listener of `run.on(type, ...)`. */
export type RunEventListener<T extends RunEventType | '*'> = (
  event: T extends RunEventType ? RunEventOf<T> : RunEvent,
) => void;

type EmitterEvents = { [K in RunEventType]: [RunEventOf<K>] } & { '*': [RunEvent] };

const now = () => performance.now();

function toEventError(error: unknown): EventError {
  if (ProviderError.isInstance(error)) {
    const out: EventError = {
      name: error.name,
      message: error.message,
      retryable: error.retryable,
    };
    if (error.status !== undefined) out.status = error.status;
    return out;
  }
  if (error instanceof Error) {
    const out: EventError = { name: error.name, message: error.message };
    if (TaskTimeoutError.isInstance(error)) out.retryable = true;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

function isRetryable(error: unknown): { retryable: boolean; retryAfterMs: number | undefined } {
  if (ProviderError.isInstance(error)) {
    return { retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  }
  return { retryable: TaskTimeoutError.isInstance(error), retryAfterMs: undefined };
}

function toUsage(usage: ProviderUsage | undefined, profile: ResolvedProfile): Usage | undefined {
  if (usage === undefined) return undefined;
  const out: Usage = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
  };
  if (profile.price !== undefined) {
    out.cost =
      (usage.inputTokens * profile.price.inputPerMillion +
        usage.outputTokens * profile.price.outputPerMillion) /
      1_000_000;
  }
  return out;
}

function phaseStatus(results: TaskResult[]): PhaseStatus {
  let cancelled = false;
  let succeeded = false;
  for (const result of results) {
    if (result.status === 'failed') return 'failed';
    if (result.status === 'cancelled') cancelled = true;
    else if (result.status === 'succeeded') succeeded = true;
  }
  if (cancelled) return 'cancelled';
  return succeeded ? 'succeeded' : 'skipped';
}

/**
 * One run of a workflow: its id, its event stream and its result. Created by
 * `MultiContextOrchestrator.run()`; starts on the next microtask, so
 * subscribing right after `run()` sees every event from `run:start` on.
 */
export class WorkflowRun implements PhaseHost, AttemptOwner<TaskExecution> {
  /** The id every event of this run carries. */
  readonly runId: string;
  readonly workflow: Workflow;
  /**
   * Every event of the run, in order; completes after `run:end`. Hot: subscribe
   * before the run starts (right after `run()`) to see all of them.
   */
  readonly events$: Observable<RunEvent>;
  /** Resolves with the run's result after `run:end`; never rejects because a task failed. */
  readonly result: Promise<WorkflowResult>;

  readonly #deps: RunDependencies;
  readonly #subject = new Subject<RunEvent>();
  readonly #inflight = new Set<Abortable>();
  #seq = 0;
  #lastStartedPhase = -1;
  #cancelReason: string | undefined;
  #ended = false;
  #emitter: EventEmitter<EmitterEvents> | undefined;
  #crash!: (error: unknown) => void;
  /** Rejects if the scheduler itself fails; phases race it so such a failure cannot hang the run. */
  readonly #crashed = new Promise<never>((_, reject) => {
    this.#crash = reject;
  });
  #guardedListeners: Map<(event: never) => void, (event: RunEvent) => void> | undefined;

  readonly #recovered: RecoveredRun | undefined;

  constructor(
    workflow: Workflow,
    runId: string,
    deps: RunDependencies,
    signal?: AbortSignal,
    recovered?: RecoveredRun,
  ) {
    this.workflow = workflow;
    this.runId = runId;
    this.#deps = deps;
    this.#recovered = recovered;
    if (recovered !== undefined) this.#seq = recovered.lastSeq + 1;
    this.events$ = new RunEventStream(this.#subject, deps.onSubscriberError);
    if (signal !== undefined) {
      const onAbort = () => this.cancel(abortReason(signal));
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
      this.result = this.#start().finally(() => signal.removeEventListener('abort', onAbort));
    } else {
      this.result = this.#start();
    }
  }

  /** Whether the run was cancelled (by `cancel()` or its signal). */
  get cancelled(): boolean {
    return this.#cancelReason !== undefined;
  }

  /**
   * Cancels the run: aborts every in-flight provider call, starts nothing new,
   * and ends the run as `cancelled`. Tasks that already ended keep their status.
   * Does nothing once the run has ended.
   */
  cancel(reason = 'cancelled'): void {
    if (this.#cancelReason !== undefined || this.#ended) return;
    this.#cancelReason = reason;
    const error = new RunCancelledError(reason);
    for (const inflight of [...this.#inflight]) inflight.abort(error);
  }

  /**
   * Listens to one event type (or `'*'` for all): an eventemitter3 facade over
   * `events$` for hosts that do not use RxJS. A listener that throws is
   * reported and does not disturb the run or other listeners.
   */
  on<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#emitterFor().on(type, this.#guardListener(listener) as never);
    return this;
  }

  /** Like {@link on}, for the first such event only. */
  once<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#emitterFor().once(type, this.#guardListener(listener) as never);
    return this;
  }

  /** Removes a listener added with {@link on} or {@link once}. */
  off<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    const guarded = this.#guardedListeners?.get(listener as (event: never) => void);
    if (guarded !== undefined) this.#emitter?.off(type, guarded as never);
    return this;
  }

  #guardListener(listener: (event: never) => void): (event: RunEvent) => void {
    this.#guardedListeners ??= new Map();
    let guarded = this.#guardedListeners.get(listener);
    if (guarded === undefined) {
      const onError = this.#deps.onSubscriberError;
      guarded = (event: RunEvent) => {
        try {
          (listener as (event: RunEvent) => void)(event);
        } catch (error) {
          onError(error, event);
        }
      };
      this.#guardedListeners.set(listener, guarded);
    }
    return guarded;
  }

  #emitterFor(): EventEmitter<EmitterEvents> {
    if (this.#emitter === undefined) {
      const emitter = new EventEmitter<EmitterEvents>();
      this.#emitter = emitter;
      this.#subject.subscribe((event) => {
        emitter.emit(event.type, event as never);
        emitter.emit('*', event);
      });
    }
    return this.#emitter;
  }

  #emit(payload: RunEventPayload): void {
    // The common fields first, so a JSON line reads type, runId, seq, time, payload.
    const event = Object.assign(
      { type: payload.type, runId: this.runId, seq: this.#seq++, time: Date.now() },
      payload,
    ) as RunEvent;
    this.#subject.next(event);
  }

  async #start(): Promise<WorkflowResult> {
    this.#crashed.catch(() => {});
    // Let the caller subscribe to events$ before the first event.
    await Promise.resolve();
    try {
      return await this.#execute();
    } catch (error) {
      this.#ended = true;
      this.#subject.error(error);
      throw error;
    }
  }

  async #execute(): Promise<WorkflowResult> {
    const { workflow } = this;
    const recovered = this.#recovered;
    // A resumed run's duration counts from its first start, downtime included.
    const started = recovered === undefined ? now() : now() - (Date.now() - recovered.startedAt);
    let totalTasks = 0;
    for (const phase of workflow.phases) totalTasks += phase.tasks.length;
    if (recovered === undefined) {
      this.#emit({
        type: 'run:start',
        workflowName: workflow.name,
        totalTasks,
        phases: workflow.phases.map((phase) => ({
          name: phase.name,
          executionMode: phase.executionMode,
          taskIds: phase.tasks.map((task) => task.id),
        })),
      });
    } else {
      this.#emit({
        type: 'run:resume',
        workflowName: workflow.name,
        recoveredTaskIds: [...recovered.completed.keys()],
        interruptedTaskIds: recovered.interrupted,
        recoveredContexts: [...recovered.histories.keys()],
      });
    }

    const phases: PhaseResult[] = [];
    let stoppedBy: { taskId: string; phaseName: string } | undefined;
    for (let phaseIndex = 0; phaseIndex < workflow.phases.length; phaseIndex++) {
      const phase = workflow.phases[phaseIndex]!;
      const done = recovered?.completed;
      let results: TaskResult[];
      if (done !== undefined && phase.tasks.every((task) => done.has(task.id))) {
        // Ended before the interruption: its result is the record's, and it emits nothing again.
        results = phase.tasks.map((task) => done.get(task.id)!);
      } else if (stoppedBy !== undefined) {
        this.#startPhase(phaseIndex, phase.name);
        const reason = `Skipped: task "${stoppedBy.taskId}" in phase "${stoppedBy.phaseName}" failed and continue_on_error is false.`;
        results = phase.tasks.map((task) => this.#endUnstarted(task, 'skipped', reason));
      } else {
        this.#startPhase(phaseIndex, phase.name);
        const execution = new PhaseExecution(this, phase, phaseIndex);
        results = await Promise.race([execution.start(), this.#crashed]);
      }
      const status = phaseStatus(results);
      const usage = emptyUsage();
      for (const result of results) addUsage(usage, result.usage);
      phases.push({ name: phase.name, executionMode: phase.executionMode, status, results, usage });
      if (this.#lastStartedPhase === phaseIndex) {
        this.#emit({ type: 'phase:end', phaseIndex, phaseName: phase.name, status });
      }
      if (stoppedBy === undefined && !workflow.config.continueOnError) {
        const failed = results.find((result) => result.status === 'failed');
        if (failed !== undefined) stoppedBy = { taskId: failed.taskId, phaseName: phase.name };
      }
    }

    const result = this.#buildResult(phases, totalTasks, now() - started);
    this.#ended = true;
    this.#emit({ type: 'run:end', status: result.status, result });
    this.#subject.complete();
    return result;
  }

  #startPhase(phaseIndex: number, phaseName: string): void {
    this.#lastStartedPhase = phaseIndex;
    this.#emit({ type: 'phase:start', phaseIndex, phaseName });
  }

  #endUnstarted(task: Task, status: 'skipped' | 'cancelled', message: string): TaskResult {
    const profile = this.#deps.profileFor(task).name;
    const error: EventError = {
      name: status === 'cancelled' ? 'RunCancelledError' : 'TaskSkippedError',
      message,
    };
    this.#emit({ type: 'task:end', taskId: task.id, status, error, attempts: 0, durationMs: 0 });
    return {
      taskId: task.id,
      contextName: task.contextName,
      profile,
      status,
      success: false,
      error,
      attempts: 0,
      durationMs: 0,
    };
  }

  /** @internal Starts task `index` of a phase (see PhaseHost). */
  startTask(phase: PhaseExecution, index: number): void {
    const task = phase.phase.tasks[index]!;
    const recovered = this.#recovered?.completed.get(task.id);
    if (recovered !== undefined) {
      // Ended before the interruption: its recorded result stands, and it is not sent again.
      phase.taskEnded(index, recovered);
      return;
    }
    if (this.#cancelReason !== undefined) {
      const message = `The run was cancelled before this task started: ${this.#cancelReason}`;
      phase.taskEnded(index, this.#endUnstarted(task, 'cancelled', message));
      return;
    }
    this.#guard(() => {
      const deps = this.#deps;
      const profile = deps.profileFor(task);
      const { prompt, contextName } = task;
      const taskId = task.id;
      const started = now();
      this.#subject.next({
        type: 'task:start',
        runId: this.runId,
        seq: this.#seq++,
        time: Date.now(),
        taskId,
        phaseIndex: phase.phaseIndex,
        contextName,
        profile: profile.name,
        prompt,
      });
      const context = deps.context(contextName, this.workflow.config.maxContextHistory);
      const history: ChatMessage[] = context.getHistory();
      const user: ChatMessage = { role: 'user', content: prompt };
      const messages: ChatMessage[] =
        profile.system === undefined
          ? [...history, user]
          : [{ role: 'system', content: profile.system }, ...history, user];
      const execution = new TaskExecution(phase, index, task, profile, context, started, {
        prompt,
        history,
        messages,
        profile: profile.name,
        model: profile.model,
        system: profile.system,
        params: profile.params,
        contextName,
        taskId,
        runId: this.runId,
      });
      this.#attempt(execution);
    });
  }

  /** Starts the next attempt of a task, unless the run was cancelled (a listener may have done so). */
  #attempt(execution: TaskExecution): void {
    if (this.#cancelReason !== undefined) {
      this.#endTask(execution, 'cancelled', undefined);
      return;
    }
    execution.attempts++;
    const { profile } = execution;
    new ProviderAttempt(
      this,
      execution,
      profile.provider,
      execution.request,
      profile.timeoutMs ?? this.#deps.timeoutMs,
    );
  }

  /** @internal See AttemptOwner. */
  track(inflight: Abortable): void {
    this.#inflight.add(inflight);
  }

  /** @internal See AttemptOwner. */
  untrack(inflight: Abortable): void {
    this.#inflight.delete(inflight);
  }

  /** @internal A streamed piece of a task's answer (see AttemptOwner). */
  attemptDelta(execution: TaskExecution, text: string): void {
    const { taskId } = execution.request;
    this.#subject.next({
      type: 'task:delta',
      runId: this.runId,
      seq: this.#seq++,
      time: Date.now(),
      taskId,
      text,
    });
  }

  /** @internal See AttemptOwner. */
  attemptSucceeded(
    execution: TaskExecution,
    text: string,
    providerUsage: ProviderUsage | undefined,
  ): void {
    this.#guard(() => {
      const { task, profile, context, attempts } = execution;
      const usage = toUsage(providerUsage, profile);
      this.#append(context, task.id, 'user', task.prompt);
      this.#append(context, task.id, 'assistant', text);
      const durationMs = now() - execution.started;
      const end: RunEventOf<'task:end'> = {
        type: 'task:end',
        runId: this.runId,
        seq: this.#seq++,
        time: Date.now(),
        taskId: task.id,
        status: 'succeeded',
        response: text,
        attempts,
        durationMs,
      };
      if (usage !== undefined) end.usage = usage;
      this.#subject.next(end);
      const result: TaskResult = {
        taskId: task.id,
        contextName: task.contextName,
        profile: profile.name,
        status: 'succeeded',
        success: true,
        response: text,
        attempts,
        durationMs,
      };
      if (usage !== undefined) result.usage = usage;
      execution.phase.taskEnded(execution.index, result);
    });
  }

  /** @internal See AttemptOwner. */
  attemptFailed(execution: TaskExecution, error: unknown): void {
    this.#guard(() => {
      if (this.#cancelReason !== undefined) {
        this.#endTask(execution, 'cancelled', error);
        return;
      }
      const { profile, attempts } = execution;
      const policy =
        profile.retry === undefined ? this.#deps.retry : { ...this.#deps.retry, ...profile.retry };
      const { retryable, retryAfterMs } = isRetryable(error);
      if (!retryable || attempts > policy.retries) {
        this.#endTask(execution, 'failed', error);
        return;
      }
      const delayMs = retryDelay(policy, attempts, retryAfterMs, this.#deps.random);
      this.#emit({
        type: 'task:retry',
        taskId: execution.task.id,
        attempt: attempts + 1,
        delayMs,
        error: toEventError(error),
      });
      // A task:retry listener may have cancelled the run: then there is nothing to wait for.
      if (this.#cancelReason !== undefined) this.#attempt(execution);
      else new RetryWait(this, execution, delayMs);
    });
  }

  /** @internal A retry delay is over, or was cut short by a cancel. */
  retryNow(execution: TaskExecution): void {
    this.#guard(() => this.#attempt(execution));
  }

  #endTask(execution: TaskExecution, status: 'failed' | 'cancelled', failure: unknown): void {
    const { task, profile, attempts } = execution;
    const error =
      status === 'cancelled'
        ? toEventError(new RunCancelledError(this.#cancelReason ?? 'cancelled'))
        : toEventError(failure);
    const durationMs = now() - execution.started;
    this.#emit({ type: 'task:end', taskId: task.id, status, error, attempts, durationMs });
    execution.phase.taskEnded(execution.index, {
      taskId: task.id,
      contextName: task.contextName,
      profile: profile.name,
      status,
      success: false,
      error,
      attempts,
      durationMs,
    });
  }

  /**
   * Runs a step of the scheduler. The steps run from provider callbacks and
   * timers, where a throw would be lost and the run would never end; so a
   * throw (a bug, not a task failure) ends the run with that error instead.
   */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#crash(error);
    }
  }

  #append(
    context: ExecutionContext,
    taskId: string,
    role: 'user' | 'assistant',
    content: string,
  ): void {
    const removed = context.addMessage(role, content);
    const { name } = context;
    this.#subject.next({
      type: 'context:message',
      runId: this.runId,
      seq: this.#seq++,
      time: Date.now(),
      contextName: name,
      taskId,
      message: { role, content },
    });
    if (removed > 0) {
      this.#emit({ type: 'context:trim', contextName: name, removed, remaining: context.size });
    }
  }

  #buildResult(phases: PhaseResult[], totalTasks: number, durationMs: number): WorkflowResult {
    let successfulTasks = 0;
    let failedTasks = 0;
    let cancelledTasks = 0;
    let unfinished = false;
    const usage = emptyUsage();
    // A Map, then fromEntries: a context may be named "__proto__".
    const contextUsage = new Map<string, Usage>();
    for (const phase of phases) {
      addUsage(usage, phase.usage);
      for (const result of phase.results) {
        if (result.usage !== undefined) {
          const sum = contextUsage.get(result.contextName) ?? emptyUsage();
          contextUsage.set(result.contextName, addUsage(sum, result.usage));
        }
        if (result.status === 'succeeded') successfulTasks++;
        else if (result.status === 'failed') failedTasks++;
        else {
          unfinished = true;
          if (result.status === 'cancelled') cancelledTasks++;
        }
      }
    }
    // A cancel that came after the last task ended changes nothing.
    const status: RunStatus =
      cancelledTasks > 0 ? 'cancelled' : failedTasks > 0 || unfinished ? 'failed' : 'succeeded';
    return {
      runId: this.runId,
      workflowName: this.workflow.name,
      success: status === 'succeeded',
      status,
      phases,
      totalTasks,
      successfulTasks,
      failedTasks,
      usage,
      contextUsage: Object.fromEntries(contextUsage),
      durationMs,
    };
  }
}

/** The state of one task while it runs: what every attempt of it needs. */
class TaskExecution {
  attempts = 0;

  constructor(
    readonly phase: PhaseExecution,
    readonly index: number,
    readonly task: Task,
    readonly profile: ResolvedProfile,
    readonly context: ExecutionContext,
    readonly started: number,
    readonly request: Omit<ProviderRequest, 'signal'>,
  ) {}
}

/** The wait before a retry; a cancel cuts it short (the next attempt then sees the cancel). */
class RetryWait implements Abortable {
  readonly #run: WorkflowRun;
  readonly #execution: TaskExecution;
  readonly #timer: ReturnType<typeof setTimeout>;
  #over = false;

  constructor(run: WorkflowRun, execution: TaskExecution, delayMs: number) {
    this.#run = run;
    this.#execution = execution;
    run.track(this);
    this.#timer = setTimeout(() => this.abort(), delayMs);
  }

  abort(): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#timer);
    this.#run.untrack(this);
    this.#run.retryNow(this.#execution);
  }
}

function abortReason(signal: AbortSignal): string {
  const { reason } = signal;
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'the signal was aborted';
}
