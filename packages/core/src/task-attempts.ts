import type { ExecutionContext, MessageDetails } from '@multi-context/context';
import type { TaskResult, Usage } from '@multi-context/events';
import type { ProviderToolCall, ProviderUsage } from '@multi-context/provider';
import type { AttemptExecutor } from './attempt-executor.js';
import type { ContextSettings } from './context-settings.js';
import { Abortable, type InflightList } from './inflight-list.js';
import { OutputValidationError } from './output-validation-error.js';
import { type AttemptOwner, ProviderAttempt } from './provider-attempt.js';
import { type RetryPolicy, retryDelay } from './retry-policy.js';
import { RunCancelledError } from './run-cancelled-error.js';
import { epochAt, now, type RunEnvelope } from './run-envelope.js';
import { repairPrompt, repairRequest } from './structured-output.js';
import type { TaskExecution } from './task-execution.js';
import { isRetryable, toEventError } from './task-failure.js';
import { addProviderUsage, taskUsage, toUsage } from './task-usage.js';
import { type ToolStepHost, ToolSteps } from './tool-steps.js';

/** What the attempts of a task need of the run they belong to. */
export interface TaskHost {
  readonly envelope: RunEnvelope;
  readonly executor: AttemptExecutor;
  /** The attempts and waits in flight, which a cancel aborts. */
  readonly inflight: InflightList;
  /** The run-wide retry policy; a profile's `retry` overrides its fields. */
  readonly retry: RetryPolicy;
  readonly random: () => number;
  /** Why the run was cancelled, or undefined while it goes on. */
  readonly cancelReason: string | undefined;
  /** The context an answer joins, made now when the task started before it existed. */
  context(name: string, settings: ContextSettings): ExecutionContext;
  /** A task ended with `result`: the run records it and its phase goes on. */
  taskEnded(execution: TaskExecution, result: TaskResult): void;
  /**
   * A model call of a task that goes on (a tool step, a rejected answer) was
   * paid for: the run's budget counts it now, not when the task ends.
   */
  callPaid(execution: TaskExecution, usage: Usage | undefined): void;
  /** A bug in the scheduler (not a task failure): ends the run with it. */
  crash(error: unknown): void;
  readonly runId: string;
  /** Bound of a tool call for tools that do not say. */
  readonly toolTimeoutMs: number;
}

/**
 * The life of a task once it is launched: each attempt (through the run's
 * executor), its streamed pieces, its answer checked and appended to the
 * context, a repair of an answer that is not the declared JSON, a retry after
 * a retryable failure (and the wait before it), and the task's end. One per
 * run, shared by its tasks: the state of a task is its {@link TaskExecution}.
 */
export class TaskAttempts implements AttemptOwner<TaskExecution> {
  readonly #host: TaskHost;
  readonly #envelope: RunEnvelope;
  readonly #executor: AttemptExecutor;
  readonly #inflight: InflightList;
  readonly #tools: ToolSteps;

  constructor(host: TaskHost) {
    this.#host = host;
    this.#envelope = host.envelope;
    this.#executor = host.executor;
    this.#inflight = host.inflight;
    this.#tools = new ToolSteps(this.#toolStepHost());
  }

  /** Starts a task: its first model step, or, resumed with a tool step in flight, that step's calls. */
  launch(execution: TaskExecution): void {
    const resumed = execution.resumedCalls;
    if (resumed === undefined || this.#host.cancelReason !== undefined) {
      this.start(execution);
      return;
    }
    execution.resumedCalls = undefined;
    this.#tools.resume(execution, resumed);
  }

  /** Starts the next attempt of a task, unless the run was cancelled (a listener may have done so). */
  start(execution: TaskExecution): void {
    if (this.#host.cancelReason !== undefined) {
      this.#end(execution, 'cancelled', undefined);
      return;
    }
    execution.attempts++;
    const { profile } = execution;
    new ProviderAttempt(
      this,
      execution,
      this.#executor,
      execution.request,
      profile.provider,
      execution.timeoutMs,
    );
  }

  /** @see AttemptOwner */
  track(inflight: Abortable): void {
    this.#inflight.add(inflight);
  }

  /** @see AttemptOwner */
  untrack(inflight: Abortable): void {
    this.#inflight.delete(inflight);
  }

  /** A streamed piece of a task's answer (see AttemptOwner). */
  attemptDelta(execution: TaskExecution, text: string): void {
    this.#envelope.taskDelta(execution.request.taskId, text);
  }

  /** @see AttemptOwner */
  attemptSucceeded(
    execution: TaskExecution,
    text: string,
    providerUsage: ProviderUsage | undefined,
    worker: string | undefined,
    toolCalls?: ProviderToolCall[],
  ): void {
    // try/catch rather than a guard function: no closure per task on the completion path.
    try {
      if (toolCalls !== undefined && execution.profile.tools !== undefined) {
        const stepUsage = this.#paid(execution, providerUsage);
        this.#tools.step(execution, text, toolCalls, worker, stepUsage);
        return;
      }
      const { task, profile, attempts } = execution;
      let json: unknown;
      if (execution.checker !== undefined) {
        const check = execution.checker.check(text);
        if (!check.ok) {
          this.#paid(execution, providerUsage);
          this.#repair(execution, text, check.problem, worker);
          return;
        }
        json = check.value;
      }
      const usage = taskUsage(
        execution.usage === undefined
          ? providerUsage
          : addProviderUsage(execution.usage, providerUsage),
        profile,
        execution.summaryUsage,
      );
      execution.context ??= this.#host.context(task.contextName, execution.settings);
      const context = execution.context;
      const ended = now();
      const time = epochAt(ended);
      this.#append(context, task.id, 'user', execution.prompt, time);
      // The tool steps, if any: each assistant message with its calls, then their results.
      for (const message of execution.transcript) {
        const { role, content, ...details } = message;
        this.#append(context, task.id, role as 'assistant' | 'tool', content, time, details);
      }
      this.#append(context, task.id, 'assistant', text, time);
      const durationMs = ended - execution.started;
      this.#envelope.taskSucceeded(time, task.id, text, attempts, durationMs, json, usage, worker);
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
      if (json !== undefined) result.json = json;
      if (usage !== undefined) result.usage = usage;
      this.#host.taskEnded(execution, result);
    } catch (error) {
      this.#host.crash(error);
    }
  }

  /** @see AttemptOwner */
  attemptFailed(execution: TaskExecution, error: unknown, worker: string | undefined): void {
    // try/catch rather than a guard function: no closure per task on the completion path.
    try {
      const host = this.#host;
      if (host.cancelReason !== undefined) {
        this.#end(execution, 'cancelled', error, worker);
        return;
      }
      const { profile, attempts } = execution;
      const policy = profile.retry === undefined ? host.retry : { ...host.retry, ...profile.retry };
      const { retryable, retryAfterMs } = isRetryable(error);
      if (!retryable || execution.retriesUsed >= execution.retries) {
        this.#end(execution, 'failed', error, worker);
        return;
      }
      execution.retriesUsed++;
      const delayMs = retryDelay(policy, execution.retriesUsed, retryAfterMs, host.random);
      this.#envelope.emit({
        type: 'task:retry',
        taskId: execution.task.id,
        attempt: attempts + 1,
        delayMs,
        error: toEventError(error),
        ...(worker === undefined ? {} : { worker }),
      });
      // A task:retry listener may have cancelled the run: then there is nothing to wait for.
      if (host.cancelReason !== undefined) this.start(execution);
      else new RetryWait(this, execution, delayMs);
    } catch (error) {
      this.#host.crash(error);
    }
  }

  /** A retry delay is over, or was cut short by a cancel. */
  retryNow(execution: TaskExecution): void {
    try {
      this.start(execution);
    } catch (error) {
      this.#host.crash(error);
    }
  }

  /**
   * An answer that is not the JSON the task declares: sent back with what is
   * wrong, up to `output.maxRepairs` times, in the same conversation. Only the
   * accepted answer is appended to the context.
   */
  #repair(
    execution: TaskExecution,
    answer: string,
    problem: string,
    worker: string | undefined,
  ): void {
    const output = execution.task.output!;
    if (execution.repairs >= output.maxRepairs) {
      const tries =
        output.maxRepairs === 0
          ? ''
          : ` after ${output.maxRepairs} repair${output.maxRepairs === 1 ? '' : 's'}`;
      this.#end(
        execution,
        'failed',
        new OutputValidationError(`The answer was rejected${tries}: ${problem}.`),
        worker,
      );
      return;
    }
    execution.repairs++;
    this.#envelope.emit({
      type: 'task:retry',
      taskId: execution.task.id,
      attempt: execution.attempts + 1,
      delayMs: 0,
      error: toEventError(new OutputValidationError(problem)),
      ...(worker === undefined ? {} : { worker }),
    });
    const instruction = repairPrompt(problem, output.schema);
    execution.request = repairRequest(
      execution.request,
      answer,
      instruction,
      execution.promptPending,
    );
    execution.promptPending = true;
    this.start(execution);
  }

  /**
   * A model call of a task that goes on: its tokens join the task's, and the
   * run's budget counts its cost now (which may cancel the run when the
   * budget is hard). Returns the call's usage, priced.
   */
  #paid(execution: TaskExecution, providerUsage: ProviderUsage | undefined): Usage | undefined {
    execution.usage = addProviderUsage(execution.usage, providerUsage);
    const usage = toUsage(providerUsage, execution.profile);
    this.#host.callPaid(execution, usage);
    return usage;
  }

  /** What the tool steps see of these attempts and their run. */
  #toolStepHost(): ToolStepHost {
    const host = this.#host;
    return {
      envelope: host.envelope,
      inflight: host.inflight,
      runId: host.runId,
      toolTimeoutMs: host.toolTimeoutMs,
      get cancelReason() {
        return host.cancelReason;
      },
      nextStep: (execution) => this.start(execution),
      stepFailed: (execution, error, worker) => this.#end(execution, 'failed', error, worker),
      stepCancelled: (execution) => this.#end(execution, 'cancelled', undefined),
      crash: (error) => host.crash(error),
    };
  }

  #end(
    execution: TaskExecution,
    status: 'failed' | 'cancelled',
    failure: unknown,
    worker?: string,
  ): void {
    const { task, profile, attempts } = execution;
    const error =
      status === 'cancelled'
        ? toEventError(new RunCancelledError(this.#host.cancelReason ?? 'cancelled'))
        : toEventError(failure);
    const durationMs = now() - execution.started;
    // The calls it made before it failed or was cancelled (tool steps, rejected answers) were paid for.
    const usage = taskUsage(execution.usage, profile, execution.summaryUsage);
    this.#envelope.emit({
      type: 'task:end',
      taskId: task.id,
      status,
      error,
      attempts,
      ...(usage === undefined ? {} : { usage }),
      durationMs,
      ...(worker === undefined ? {} : { worker }),
    });
    const result: TaskResult = {
      taskId: task.id,
      contextName: task.contextName,
      profile: profile.name,
      status,
      success: false,
      error,
      attempts,
      durationMs,
    };
    if (usage !== undefined) result.usage = usage;
    this.#host.taskEnded(execution, result);
  }

  #append(
    context: ExecutionContext,
    taskId: string,
    role: 'user' | 'assistant' | 'tool',
    content: string,
    time: number,
    details?: MessageDetails,
  ): void {
    const removed = context.addMessage(role, content, details);
    const { name } = context;
    this.#envelope.contextMessage(time, name, taskId, role, content, details);
    if (removed > 0) {
      this.#envelope.emit({
        type: 'context:trim',
        contextName: name,
        removed,
        remaining: context.size,
      });
    }
  }
}

/** The wait before a retry; a cancel cuts it short (the next attempt then sees the cancel). */
class RetryWait extends Abortable {
  readonly #attempts: TaskAttempts;
  readonly #execution: TaskExecution;
  readonly #timer: ReturnType<typeof setTimeout>;
  #over = false;

  constructor(attempts: TaskAttempts, execution: TaskExecution, delayMs: number) {
    super();
    this.#attempts = attempts;
    this.#execution = execution;
    attempts.track(this);
    this.#timer = setTimeout(() => this.abort(), delayMs);
  }

  abort(): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#timer);
    this.#attempts.untrack(this);
    this.#attempts.retryNow(this.#execution);
  }
}
