import type { ExecutionContext } from '@multi-context/context';
import type {
  PhaseResult,
  RunEvent,
  RunEventType,
  RunStopReason,
  TaskResult,
  Usage,
  WorkflowResult,
} from '@multi-context/events';
import type { Task, Workflow } from '@multi-context/workflow';
import type { Observable } from 'rxjs';
import type { AttemptExecutor } from './attempt-executor.js';
import type { ContextSettings } from './context-settings.js';
import { EventHub } from './event-hub.js';
import { eventReplay, type ReplayOption } from './event-replay.js';
import { RunEventStream, type SubscriberErrorHandler } from './event-stream.js';
import { InflightList } from './inflight-list.js';
import { PhaseExecution } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import { rebuildContexts } from './rebuild-contexts.js';
import type { RecoveredRun } from './recover-run.js';
import type { RetryPolicy } from './retry-policy.js';
import { type BudgetSettings, RunBudget } from './run-budget.js';
import { RunCancelledError } from './run-cancelled-error.js';
import { RunContextSettings } from './run-context-settings.js';
import { now, RunEnvelope } from './run-envelope.js';
import { type RunEventListener, RunListeners } from './run-listeners.js';
import { phaseResult, RunResults, workflowResult } from './run-results.js';
import { TaskAttempts, type TaskHost } from './task-attempts.js';
import type { TaskExecution } from './task-execution.js';
import { type StartHost, TaskStarter } from './task-start.js';
import type { WorkflowRun } from './workflow-run.js';

/** What the orchestrator lends a run. */
export interface RunDependencies {
  /** The profile a task runs with (already checked before the run started). */
  profileFor(task: Task): ResolvedProfile;
  /** A profile by name (already checked before the run started): the summariser of a context. */
  profileNamed(name: string): ResolvedProfile;
  /** The context a task runs in, made or rebuilt with the run's settings for it. */
  context(name: string, settings: ContextSettings): ExecutionContext;
  /** The context if it exists (rebuilt if its settings differ), or undefined: it is made by `context()`. */
  existingContext(name: string, settings: ContextSettings): ExecutionContext | undefined;
  /** Puts a context rebuilt from a record in place of the orchestrator's (a resume). */
  adoptContext(context: ExecutionContext): void;
  /** Where every provider call is made. */
  executor: AttemptExecutor;
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  onSubscriberError: SubscriberErrorHandler;
  random: () => number;
  /** Model steps a task with tools may take when its task and profile do not say. */
  maxSteps: number;
  /** Bound of a tool call for tools that do not say. */
  toolTimeoutMs: number;
}

/** How a run starts: what the orchestrator resolved for it. */
export interface RunSetup {
  runId: string;
  signal?: AbortSignal;
  /** The workflow's inputs, resolved and typed. */
  inputs?: Readonly<Record<string, string | number | boolean>>;
  /** What an interrupted run had done, for a resume. */
  recovered?: RecoveredRun;
  /** What late subscribers of `events$` get first (see {@link ReplayOption}); none by default. */
  replay?: ReplayOption;
  /** The run's budget, if it has one. */
  budget?: BudgetSettings;
}

/**
 * A run in this process: the class behind the {@link WorkflowRun} interface.
 * It holds the run's state and runs its phases one after another; a phase
 * schedules its tasks (PhaseExecution), this starts each of them, and a
 * task's attempts live in TaskAttempts. Every event goes through its
 * RunEnvelope, every result into its RunResults.
 */
export class Run implements WorkflowRun, TaskHost, StartHost {
  readonly runId: string;
  readonly workflow: Workflow;
  readonly events$: Observable<RunEvent>;
  readonly result: Promise<WorkflowResult>;
  readonly envelope: RunEnvelope;
  readonly executor: AttemptExecutor;
  readonly inflight = new InflightList();
  readonly retry: RetryPolicy;
  readonly random: () => number;
  readonly timeoutMs: number | undefined;
  readonly toolTimeoutMs: number;
  readonly maxSteps: number;

  readonly #deps: RunDependencies;
  readonly #hub: EventHub;
  readonly #listeners: RunListeners;
  readonly #starter: TaskStarter;
  readonly #results: RunResults;
  readonly #contextSettings: RunContextSettings;
  readonly #recovered: RecoveredRun | undefined;
  readonly #budget: RunBudget | undefined;
  #lastStartedPhase = -1;
  #cancelReason: string | undefined;
  #ended = false;
  #crash!: (error: unknown) => void;
  /** Rejects if the scheduler itself fails; phases race it so such a failure cannot hang the run. */
  readonly #crashed = new Promise<never>((_, reject) => {
    this.#crash = reject;
  });

  constructor(workflow: Workflow, deps: RunDependencies, setup: RunSetup) {
    this.workflow = workflow;
    this.runId = setup.runId;
    this.#deps = deps;
    this.executor = deps.executor;
    this.retry = deps.retry;
    this.random = deps.random;
    this.timeoutMs = deps.timeoutMs;
    this.toolTimeoutMs = deps.toolTimeoutMs;
    this.maxSteps = deps.maxSteps;
    const inputs = setup.inputs ?? {};
    const recovered = setup.recovered;
    this.#recovered = recovered;
    // A resumed run's earlier sessions were paid for: they count toward its budget.
    this.#budget =
      setup.budget && new RunBudget(setup.budget, recovered?.cost, recovered?.currency);
    this.#results = new RunResults(workflow);
    this.#contextSettings = new RunContextSettings(workflow, inputs);
    if (recovered !== undefined) {
      for (const result of recovered.completed.values()) this.#results.record(result);
    }
    const replay = eventReplay(setup.replay);
    this.#hub = new EventHub(replay);
    this.envelope = new RunEnvelope(
      this.runId,
      recovered === undefined ? 0 : recovered.lastSeq + 1,
      this.#hub,
    );
    this.events$ = new RunEventStream(this.#hub, deps.onSubscriberError);
    this.#listeners = new RunListeners(this.events$, deps.onSubscriberError, replay);
    const attempts = new TaskAttempts(this);
    this.#starter = new TaskStarter(
      this,
      deps,
      this.#results,
      this.#contextSettings,
      attempts,
      recovered?.completed,
      inputs,
      recovered?.steps,
    );
    const { signal } = setup;
    if (signal !== undefined) {
      const onAbort = () => this.cancel(abortReason(signal));
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
      this.result = this.#start().finally(() => signal.removeEventListener('abort', onAbort));
    } else {
      this.result = this.#start();
    }
  }

  get cancelled(): boolean {
    return this.#cancelReason !== undefined;
  }

  /** @see TaskHost */
  get cancelReason(): string | undefined {
    return this.#cancelReason;
  }

  /** @see StartHost */
  get stopReason(): RunStopReason | undefined {
    return this.#budget?.reason;
  }

  cancel(reason = 'cancelled'): void {
    if (this.#cancelReason !== undefined || this.#ended) return;
    this.#cancelReason = reason;
    const error = new RunCancelledError(reason);
    for (const inflight of this.inflight.toArray()) inflight.abort(error);
  }

  on<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.add(type, listener, false);
    return this;
  }

  once<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.add(type, listener, true);
    return this;
  }

  off<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.remove(type, listener);
    return this;
  }

  async #start(): Promise<WorkflowResult> {
    this.#crashed.catch(() => {});
    // Start on the next turn of the event loop, not the next microtask: a caller
    // that gets the run back from an async function (one more await) can still
    // subscribe to events$ before the first event.
    await nextTurn();
    try {
      return await this.#execute();
    } catch (error) {
      this.#ended = true;
      this.#hub.error(error);
      throw error;
    }
  }

  async #execute(): Promise<WorkflowResult> {
    const { workflow, envelope } = this;
    const recovered = this.#recovered;
    // A resumed run's duration is the time its sessions ran: what the record ran,
    // then this session's own time; the downtime between them is not the run's.
    const started = recovered === undefined ? now() : now() - recovered.ranMs;
    let totalTasks = 0;
    for (const phase of workflow.phases) totalTasks += phase.tasks.length;
    if (recovered === undefined) {
      envelope.emit({
        type: 'run:start',
        workflowName: workflow.name,
        totalTasks,
        phases: workflow.phases.map((phase) => ({
          name: phase.name,
          executionMode: phase.executionMode,
          taskIds: phase.tasks.map((task) => task.id),
        })),
        ...this.#budgetField(),
      });
    } else {
      rebuildContexts(workflow, recovered, this.#contextSettings, this.#deps);
      envelope.emit({
        type: 'run:resume',
        workflowName: workflow.name,
        recoveredTaskIds: [...recovered.completed.keys()],
        interruptedTaskIds: recovered.interrupted,
        recoveredContexts: [...recovered.histories.keys()],
        ...this.#budgetField(),
      });
    }

    // A resumed run may have spent its budget already: then nothing starts.
    this.#budgetReached(this.#budget?.check());
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
        results = phase.tasks.map((task) =>
          this.#starter.endUnstarted(task, 'skipped', {
            name: 'TaskSkippedError',
            message: reason,
          }),
        );
      } else {
        this.#startPhase(phaseIndex, phase.name);
        const limit =
          phase.executionMode === 'parallel'
            ? (phase.maxConcurrency ?? workflow.config.maxConcurrency)
            : undefined;
        const execution = new PhaseExecution(this.#starter, phase, phaseIndex, limit);
        results = await Promise.race([execution.start(), this.#crashed]);
      }
      const ended = phaseResult(phase, results);
      phases.push(ended);
      if (this.#lastStartedPhase === phaseIndex) {
        envelope.emit({
          type: 'phase:end',
          phaseIndex,
          phaseName: phase.name,
          status: ended.status,
        });
      }
      if (stoppedBy === undefined) {
        // Results are in declaration order: result i is task i's.
        const stopper = results.find(
          (result, i) =>
            result.status === 'failed' &&
            !(phase.tasks[i]!.continueOnError ?? workflow.config.continueOnError),
        );
        if (stopper !== undefined) stoppedBy = { taskId: stopper.taskId, phaseName: phase.name };
      }
    }

    const result = workflowResult(this.runId, workflow.name, phases, totalTasks, now() - started);
    // A budget reached as the last tasks ended stopped nothing: the run ends as its tasks did.
    const reason = result.status === 'cancelled' ? this.#budget?.reason : undefined;
    if (reason !== undefined) result.reason = reason;
    this.#ended = true;
    envelope.emit({
      type: 'run:end',
      status: result.status,
      ...(reason !== undefined && { reason }),
      result,
    });
    this.#hub.complete();
    return result;
  }

  #startPhase(phaseIndex: number, phaseName: string): void {
    this.#lastStartedPhase = phaseIndex;
    this.envelope.emit({ type: 'phase:start', phaseIndex, phaseName });
  }

  /** @see TaskHost */
  context(name: string, settings: ContextSettings): ExecutionContext {
    return this.#deps.context(name, settings);
  }

  /** @see TaskHost */
  taskEnded(execution: TaskExecution, result: TaskResult): void {
    // Counted before the phase starts the next task of the lane, which the budget may stop.
    if (this.#budget !== undefined)
      this.#budgetReached(this.#budget.add(result.usage, execution.costCounted));
    execution.phase.taskEnded(execution.index, this.#results.record(result));
  }

  /** @see TaskHost */
  callPaid(execution: TaskExecution, usage: Usage | undefined): void {
    if (this.#budget === undefined || usage?.cost === undefined) return;
    execution.costCounted += usage.cost;
    this.#budgetReached(this.#budget.add(usage));
  }

  /** The budget as `run:start` and `run:resume` record it, so a resume given none keeps it. */
  #budgetField(): { budget?: { maxCost: number; hard: boolean } } {
    const budget = this.#budget;
    return budget === undefined ? {} : { budget: { maxCost: budget.maxCost, hard: budget.hard } };
  }

  /** The budget was just reached: no task starts from now on, and with a hard budget those in flight are cancelled. */
  #budgetReached(reason: RunStopReason | undefined): void {
    if (reason?.hard) this.cancel(reason.message);
  }

  /** @see TaskHost */
  crash(error: unknown): void {
    this.#crash(error);
  }
}

const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

function abortReason(signal: AbortSignal): string {
  const { reason } = signal;
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'the signal was aborted';
}
