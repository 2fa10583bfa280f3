import type { ExecutionContext } from '@multi-context/context';
import type { EventError, RunStopReason, TaskResult, Usage } from '@multi-context/events';
import type { ChatMessage } from '@multi-context/provider';
import { renderTemplate, type Task, type Workflow } from '@multi-context/workflow';
import type { ContextSettings } from './context-settings.js';
import { condenseContext, type SummaryHost } from './context-summary.js';
import type { PhaseExecution, PhaseHost } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import { type RecoveredStep, stepDone } from './recover-steps.js';
import type { RetryPolicy } from './retry-policy.js';
import { budgetError } from './run-budget.js';
import type { RunContextSettings } from './run-context-settings.js';
import { now, type RunEnvelope } from './run-envelope.js';
import { dependsOnAny, type RunResults } from './run-results.js';
import { OutputChecker, outputFormat } from './structured-output.js';
import type { TaskAttempts } from './task-attempts.js';
import { TaskExecution } from './task-execution.js';
import { toEventError } from './task-failure.js';
import { taskRequest, toolStepRequest } from './task-request.js';
import { DEFAULT_MAX_STEPS } from './tool.js';

/** What starting a task needs of its run, beyond what summarising a context does. */
export interface StartHost extends SummaryHost {
  readonly runId: string;
  readonly workflow: Workflow;
  /** The run-wide retry policy: its `retries` is the last default of a task's. */
  readonly retry: RetryPolicy;
  /** Model steps a task with tools may take when its task and profile do not say. */
  readonly maxSteps: number;
  /** Why no new task starts, once the run's budget was reached. */
  readonly stopReason: RunStopReason | undefined;
  /** A bug in the scheduler (not a task failure): ends the run with it. */
  crash(error: unknown): void;
  /** A call made for a task (here, its context's summary) was paid for: the budget counts it. */
  callPaid(execution: TaskExecution, usage: Usage | undefined): void;
}

/** Where a task's profile and context come from (the orchestrator's, lent to the run). */
export interface StartDependencies {
  profileFor(task: Task): ResolvedProfile;
  profileNamed(name: string): ResolvedProfile;
  context(name: string, settings: ContextSettings): ExecutionContext;
  existingContext(name: string, settings: ContextSettings): ExecutionContext | undefined;
}

/**
 * What happens to a task between its turn in its phase and its first
 * attempt: a task the record of a resume ended keeps that end; one whose run
 * was cancelled or reached its budget, or whose input task did not succeed,
 * ends without a call;
 * otherwise its prompt is rendered, `task:start` emitted, its context found
 * (and condensed first, when its policy summarises), and the request of its
 * first attempt built and handed to {@link TaskAttempts}.
 */
export class TaskStarter implements PhaseHost {
  readonly #host: StartHost;
  readonly #envelope: RunEnvelope;
  readonly #deps: StartDependencies;
  readonly #results: RunResults;
  readonly #settings: RunContextSettings;
  readonly #attempts: TaskAttempts;
  readonly #recorded: ReadonlyMap<string, TaskResult> | undefined;
  readonly #inputs: Readonly<Record<string, string | number | boolean>>;
  readonly #steps: ReadonlyMap<string, RecoveredStep[]> | undefined;

  constructor(
    host: StartHost,
    deps: StartDependencies,
    results: RunResults,
    settings: RunContextSettings,
    attempts: TaskAttempts,
    /** The results a resumed run's record kept, by task id. */
    recorded: ReadonlyMap<string, TaskResult> | undefined,
    inputs: Readonly<Record<string, string | number | boolean>>,
    /** The tool steps a resumed run's record kept of the interrupted tasks, by task id. */
    steps?: ReadonlyMap<string, RecoveredStep[]>,
  ) {
    this.#steps = steps;
    this.#host = host;
    this.#envelope = host.envelope;
    this.#deps = deps;
    this.#results = results;
    this.#settings = settings;
    this.#attempts = attempts;
    this.#recorded = recorded;
    this.#inputs = inputs;
  }

  /** Starts task `index` of a phase (see PhaseHost). */
  startTask(phase: PhaseExecution, index: number): void {
    const task = phase.phase.tasks[index]!;
    const recorded = this.#recorded?.get(task.id);
    if (recorded !== undefined) {
      // Ended before the interruption: its recorded result stands, and it is not sent again.
      phase.taskEnded(index, recorded);
      return;
    }
    const { cancelReason } = this.#host;
    if (cancelReason !== undefined) {
      const message = `The run was cancelled before this task started: ${cancelReason}`;
      phase.taskEnded(
        index,
        this.endUnstarted(task, 'cancelled', { name: 'RunCancelledError', message }),
      );
      return;
    }
    const { stopReason } = this.#host;
    if (stopReason !== undefined) {
      phase.taskEnded(index, this.endUnstarted(task, 'cancelled', budgetError(stopReason)));
      return;
    }
    const blocked = dependsOnAny(task) ? this.#results.blockedBy(task) : undefined;
    if (blocked !== undefined) {
      phase.taskEnded(index, this.endUnstarted(task, 'skipped', blocked));
      return;
    }
    // try/catch rather than a guard function: no closure per task on the start path.
    try {
      let prompt = task.prompt;
      if (task.template !== undefined) {
        try {
          const outputs = this.#results.outputs;
          prompt = renderTemplate(task.template, { outputs, inputs: this.#inputs });
        } catch (error) {
          phase.taskEnded(index, this.endUnstarted(task, 'failed', toEventError(error)));
          return;
        }
      }
      const deps = this.#deps;
      const profile = deps.profileFor(task);
      const { contextName } = task;
      const started = now();
      this.#envelope.taskStart(
        started,
        task.id,
        phase.phaseIndex,
        contextName,
        profile.name,
        prompt,
        profile.provider.id,
        profile.model,
      );
      const settings = this.#settings.for(contextName);
      const plain = this.#settings.isPlain(settings);
      // A plain context that does not exist yet has no history: it is made at its first
      // append, off the start path (every microsecond there delays the provider call).
      const context = plain
        ? deps.existingContext(contextName, settings)
        : deps.context(contextName, settings);
      const pending =
        settings.summaryProfile === undefined ? undefined : context!.window().pendingSummary;
      if (pending === undefined) {
        this.#launch(phase, index, task, profile, context, settings, started, prompt, plain);
        return;
      }
      const summariser = deps.profileNamed(settings.summaryProfile!);
      condenseContext(this.#host, context!, pending.messages, summariser, task.id).then(
        (summaryUsage) => {
          try {
            this.#launch(
              phase,
              index,
              task,
              profile,
              context,
              settings,
              started,
              prompt,
              plain,
              summaryUsage,
            );
          } catch (error) {
            this.#host.crash(error);
          }
        },
        (error: unknown) => this.#host.crash(error),
      );
    } catch (error) {
      this.#host.crash(error);
    }
  }

  /** Ends a task that never reached a provider: skipped, cancelled before its turn, or a prompt that could not be made. */
  endUnstarted(
    task: Task,
    status: 'skipped' | 'cancelled' | 'failed',
    error: EventError,
  ): TaskResult {
    const profile = this.#deps.profileFor(task).name;
    this.#envelope.emit({
      type: 'task:end',
      taskId: task.id,
      status,
      error,
      attempts: 0,
      durationMs: 0,
    });
    return this.#results.record({
      taskId: task.id,
      contextName: task.contextName,
      profile,
      status,
      success: false,
      error,
      attempts: 0,
      durationMs: 0,
    });
  }

  #launch(
    phase: PhaseExecution,
    index: number,
    task: Task,
    profile: ResolvedProfile,
    context: ExecutionContext | undefined,
    settings: ContextSettings,
    started: number,
    prompt: string,
    plain: boolean,
    summaryUsage?: Usage,
  ): void {
    const host = this.#host;
    // A context with its own settings sends its window (system, limits, summary); a plain one its history.
    const history: ChatMessage[] = plain
      ? (context?.getHistory() ?? NO_HISTORY)
      : context!.window().messages;
    const request = taskRequest(host.runId, task, profile, prompt, history);
    const execution = new TaskExecution(
      phase,
      index,
      task,
      profile,
      context,
      settings,
      started,
      prompt,
      request,
    );
    const { config } = host.workflow;
    // The most specific setting wins: the task's, its profile's, the workflow's, the orchestrator's.
    execution.retries =
      task.retries ?? profile.retry?.retries ?? config.retries ?? host.retry.retries;
    execution.timeoutMs = task.timeoutMs ?? profile.timeoutMs ?? config.timeoutMs ?? host.timeoutMs;
    if (task.output !== undefined) {
      execution.checker = new OutputChecker(task.output.schema);
      request.output = outputFormat(task.output);
    }
    if (profile.tools !== undefined) {
      execution.maxSteps = task.maxSteps ?? profile.maxSteps ?? host.maxSteps ?? DEFAULT_MAX_STEPS;
      const recovered = this.#steps?.get(task.id);
      if (recovered !== undefined) continueSteps(execution, recovered);
    }
    if (summaryUsage !== undefined) {
      // Paid before the task's first call: a hard budget it reaches cancels the task there.
      execution.summaryUsage = summaryUsage;
      host.callPaid(execution, summaryUsage);
    }
    this.#attempts.launch(execution);
  }
}

/** The history of a context that does not exist yet: shared, and frozen so nobody can add to it. */
const NO_HISTORY: ChatMessage[] = Object.freeze([]) as unknown as ChatMessage[];

/**
 * A resumed task picks up its recorded tool steps: the done ones join its
 * transcript and request (their model calls are not made again), and a step
 * in flight has only its calls without a recorded result run before the next
 * model step.
 */
function continueSteps(execution: TaskExecution, steps: readonly RecoveredStep[]): void {
  const done: ChatMessage[] = [];
  for (const step of steps) {
    const assistant: ChatMessage = { role: 'assistant', content: step.text, toolCalls: step.calls };
    execution.steps = step.step;
    if (!stepDone(step)) {
      execution.resumedCalls = { step: step.step, calls: step.calls, known: step.results };
      execution.transcript.push(...done, assistant);
      break;
    }
    done.push(assistant, ...step.calls.map((call) => step.results.get(call.id)!));
  }
  if (execution.resumedCalls === undefined) execution.transcript.push(...done);
  if (done.length > 0) {
    execution.request = toolStepRequest(execution.request, true, done);
    execution.promptPending = false;
  }
}
