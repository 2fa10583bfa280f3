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
  LazyAbort,
  type ProviderRequest,
  type ProviderUsage,
  requestWithSignal,
} from '@multi-context/provider';
import {
  renderTemplate,
  type Task,
  type TemplateOutput,
  type Workflow,
} from '@multi-context/workflow';
import type { Observable } from 'rxjs';
import { buildContext, type ContextSettings, contextSettings } from './context-settings.js';
import { RunCancelledError } from './errors.js';
import { EventHub } from './event-hub.js';
import { eventReplay, type ReplayOption } from './event-replay.js';
import { RunEventStream, type SubscriberErrorHandler } from './event-stream.js';
import { Abortable, InflightList } from './inflight-list.js';
import { PhaseExecution, type PhaseHost } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import { type AttemptOwner, attemptOnce, ProviderAttempt } from './provider-attempt.js';
import type { RecoveredRun } from './recover-run.js';
import { type RetryPolicy, retryDelay } from './retry-policy.js';
import { type RunEventListener, RunListeners } from './run-listeners.js';
import {
  OutputChecker,
  OutputValidationError,
  outputFormat,
  repairPrompt,
  repairRequest,
} from './structured-output.js';
import { isRetryable, toEventError } from './task-failure.js';
import { toUsage } from './task-usage.js';

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
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  onSubscriberError: SubscriberErrorHandler;
  random: () => number;
}

/** How a run starts: what the orchestrator resolved for it. */
export interface WorkflowRunOptions {
  runId: string;
  signal?: AbortSignal;
  /** The workflow's inputs, resolved and typed. */
  inputs?: Readonly<Record<string, string | number | boolean>>;
  /** What an interrupted run had done, for a resume. */
  recovered?: RecoveredRun;
  /** What late subscribers of `events$` get first (see {@link ReplayOption}); none by default. */
  replay?: ReplayOption;
}

const now = () => performance.now();
const TIME_ORIGIN = performance.timeOrigin;
/**
 * The epoch milliseconds (what `Date.now()` gives) of a `now()` reading. A
 * task's event and its duration share one clock read: a parallel phase reads
 * the clock for every event of every task, and each read costs about as much
 * as the rest of an event.
 */
const epochAt = (at: number) => Math.floor(TIME_ORIGIN + at);

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
 * `MultiContextOrchestrator.run()`; starts on the next turn of the event loop,
 * so subscribing right after `run()` (even after awaiting an async function
 * that returned it) sees every event from `run:start` on.
 */
export class WorkflowRun implements PhaseHost, AttemptOwner<TaskExecution> {
  /** The id every event of this run carries. */
  readonly runId: string;
  readonly workflow: Workflow;
  /**
   * Every event of the run, in order; completes after `run:end`. Hot: subscribe
   * before the run starts (right after `run()`) to see all of them, or run with
   * `replay` for late subscribers to get the events so far first.
   */
  readonly events$: Observable<RunEvent>;
  /** Resolves with the run's result after `run:end`; never rejects because a task failed. */
  readonly result: Promise<WorkflowResult>;

  readonly #deps: RunDependencies;
  readonly #subject: EventHub;
  readonly #inflight = new InflightList();
  #seq = 0;
  #lastStartedPhase = -1;
  #cancelReason: string | undefined;
  #ended = false;
  readonly #listeners: RunListeners;
  #crash!: (error: unknown) => void;
  /** Rejects if the scheduler itself fails; phases race it so such a failure cannot hang the run. */
  readonly #crashed = new Promise<never>((_, reject) => {
    this.#crash = reject;
  });

  readonly #recovered: RecoveredRun | undefined;
  readonly #inputs: Readonly<Record<string, string | number | boolean>>;
  /** Results of the tasks that ended, by id: what dependents check before they start. */
  readonly #results = new Map<string, TaskResult>();
  /** Outputs of the tasks that succeeded, as templates see them (no prototype: ids are data). */
  readonly #outputs: Record<string, TemplateOutput> = Object.create(null);
  /** Each context's settings for this run (its `contexts:` entry, system rendered). */
  readonly #contextSettings = new Map<string, ContextSettings>();
  /** The settings of contexts without a `contexts:` entry: one object, made once. */
  #defaultSettings: ContextSettings | undefined;
  /** Whether any task uses another's output: only then are results and outputs kept. */
  readonly #keepOutputs: boolean;

  constructor(workflow: Workflow, deps: RunDependencies, options: WorkflowRunOptions) {
    this.workflow = workflow;
    this.runId = options.runId;
    this.#deps = deps;
    this.#inputs = options.inputs ?? {};
    const recovered = options.recovered;
    this.#recovered = recovered;
    this.#keepOutputs = workflow.phases.some((phase) =>
      phase.tasks.some((task) => dependsOnAny(task)),
    );
    if (recovered !== undefined) {
      this.#seq = recovered.lastSeq + 1;
      for (const result of recovered.completed.values()) this.#record(result);
    }
    const { signal } = options;
    const replay = eventReplay(options.replay);
    this.#subject = new EventHub(replay);
    this.events$ = new RunEventStream(this.#subject, deps.onSubscriberError);
    this.#listeners = new RunListeners(this.events$, deps.onSubscriberError, replay);
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
    for (const inflight of this.#inflight.toArray()) inflight.abort(error);
  }

  /**
   * Listens to one event type (or `'*'` for all): an eventemitter3 facade over
   * `events$` for hosts that do not use RxJS. A listener that throws is
   * reported and does not disturb the run or other listeners. With `replay`,
   * a listener added late first gets the kept events of its type.
   */
  on<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.add(type, listener, false);
    return this;
  }

  /** Like {@link on}, for the first such event only. */
  once<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.add(type, listener, true);
    return this;
  }

  /** Removes a listener added with {@link on} or {@link once}. */
  off<T extends RunEventType | '*'>(type: T, listener: RunEventListener<T>): this {
    this.#listeners.remove(type, listener);
    return this;
  }

  #emit(payload: RunEventPayload): void {
    // The common fields first, so a JSON line reads type, runId, seq, time, payload.
    const event = Object.assign(
      { type: payload.type, runId: this.runId, seq: this.#seq++, time: epochAt(now()) },
      payload,
    ) as RunEvent;
    this.#subject.next(event);
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
      this.#subject.error(error);
      throw error;
    }
  }

  async #execute(): Promise<WorkflowResult> {
    const { workflow } = this;
    const recovered = this.#recovered;
    // A resumed run's duration is the time its sessions ran: what the record ran,
    // then this session's own time; the downtime between them is not the run's.
    const started = recovered === undefined ? now() : now() - recovered.ranMs;
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
      this.#rebuildContexts(recovered);
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
        results = phase.tasks.map((task) =>
          this.#endUnstarted(task, 'skipped', { name: 'TaskSkippedError', message: reason }),
        );
      } else {
        this.#startPhase(phaseIndex, phase.name);
        const limit =
          phase.executionMode === 'parallel'
            ? (phase.maxConcurrency ?? workflow.config.maxConcurrency)
            : undefined;
        const execution = new PhaseExecution(this, phase, phaseIndex, limit);
        results = await Promise.race([execution.start(), this.#crashed]);
      }
      const status = phaseStatus(results);
      const usage = emptyUsage();
      for (const result of results) addUsage(usage, result.usage);
      phases.push({ name: phase.name, executionMode: phase.executionMode, status, results, usage });
      if (this.#lastStartedPhase === phaseIndex) {
        this.#emit({ type: 'phase:end', phaseIndex, phaseName: phase.name, status });
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

  /** Ends a task that never reached a provider: skipped, cancelled before its turn, or a prompt that could not be made. */
  #endUnstarted(
    task: Task,
    status: 'skipped' | 'cancelled' | 'failed',
    error: EventError,
  ): TaskResult {
    const profile = this.#deps.profileFor(task).name;
    this.#emit({ type: 'task:end', taskId: task.id, status, error, attempts: 0, durationMs: 0 });
    return this.#record({
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

  /** Keeps a task's result for the tasks that use its output. */
  #record(result: TaskResult): TaskResult {
    if (!this.#keepOutputs) return result;
    this.#results.set(result.taskId, result);
    if (result.status === 'succeeded') {
      const output: TemplateOutput = { text: result.response ?? '' };
      if (result.json !== undefined) output.json = result.json;
      this.#outputs[result.taskId] = output;
    }
    return result;
  }

  /** Why a task cannot start because of a task it depends on, if it cannot. */
  #blockedBy(task: Task): EventError | undefined {
    for (const dependency of task.dependsOn) {
      const result = this.#results.get(dependency);
      if (result?.status === 'succeeded') continue;
      const what =
        result === undefined
          ? 'did not run'
          : result.status === 'failed'
            ? 'failed'
            : `was ${result.status}`;
      return {
        name: 'TaskSkippedError',
        message: `Skipped: the prompt uses the output of task "${dependency}", which ${what}.`,
      };
    }
    return undefined;
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
      phase.taskEnded(
        index,
        this.#endUnstarted(task, 'cancelled', { name: 'RunCancelledError', message }),
      );
      return;
    }
    const blocked = dependsOnAny(task) ? this.#blockedBy(task) : undefined;
    if (blocked !== undefined) {
      phase.taskEnded(index, this.#endUnstarted(task, 'skipped', blocked));
      return;
    }
    // try/catch rather than #guard: no closure per task on the start path.
    try {
      let prompt = task.prompt;
      if (task.template !== undefined) {
        try {
          prompt = renderTemplate(task.template, { outputs: this.#outputs, inputs: this.#inputs });
        } catch (error) {
          phase.taskEnded(index, this.#endUnstarted(task, 'failed', toEventError(error)));
          return;
        }
      }
      const deps = this.#deps;
      const profile = deps.profileFor(task);
      const { contextName } = task;
      const taskId = task.id;
      const started = now();
      this.#subject.next({
        type: 'task:start',
        runId: this.runId,
        seq: this.#seq++,
        time: epochAt(started),
        taskId,
        phaseIndex: phase.phaseIndex,
        contextName,
        profile: profile.name,
        prompt,
      });
      const settings = this.#settingsFor(contextName);
      const plain = settings === this.#defaultSettings;
      // A plain context that does not exist yet has no history: it is made at its first
      // append, off the start path (every microsecond there delays the provider call).
      const context = plain
        ? deps.existingContext(contextName, settings)
        : deps.context(contextName, settings);
      const pending =
        settings.summaryProfile === undefined ? undefined : context!.window().pendingSummary;
      if (pending === undefined) {
        this.#launch(phase, index, task, profile, context, settings, started, prompt, plain);
      } else {
        this.#condense(context!, pending.messages, settings.summaryProfile!, taskId).then(
          () =>
            this.#guard(() =>
              this.#launch(phase, index, task, profile, context, settings, started, prompt, plain),
            ),
          (error: unknown) => this.#crash(error),
        );
      }
    } catch (error) {
      this.#crash(error);
    }
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
  ): void {
    // A context with its own settings sends its window (system, limits, summary); a plain one its history.
    const history: ChatMessage[] = plain
      ? (context?.getHistory() ?? NO_HISTORY)
      : context!.window().messages;
    // Built at its final length: pushing onto [] allocates room for 17 messages.
    const user: ChatMessage = { role: 'user', content: prompt };
    const messages: ChatMessage[] =
      profile.system !== undefined
        ? [{ role: 'system', content: profile.system }, ...history, user]
        : history.length === 0
          ? [user]
          : [...history, user];
    const request: Omit<ProviderRequest, 'signal'> = {
      prompt,
      history,
      messages,
      profile: profile.name,
      model: profile.model,
      system: profile.system,
      params: profile.params,
      contextName: task.contextName,
      taskId: task.id,
      runId: this.runId,
    };
    const deps = this.#deps;
    const { config } = this.workflow;
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
    // The most specific setting wins: the task's, its profile's, the workflow's, the orchestrator's.
    execution.retries =
      task.retries ?? profile.retry?.retries ?? config.retries ?? deps.retry.retries;
    execution.timeoutMs = task.timeoutMs ?? profile.timeoutMs ?? config.timeoutMs ?? deps.timeoutMs;
    if (task.output !== undefined) {
      execution.checker = new OutputChecker(task.output.schema);
      request.output = outputFormat(task.output);
    }
    this.#attempt(execution);
  }

  /**
   * The summarising policy's first step: asks the context's summary profile to
   * condense `span` into one message, which the context then sends in its
   * place. The full history stays; only what is sent is compacted. If the
   * summary cannot be had, the task goes on with the window as it is (it
   * already fits the limits without the span).
   */
  async #condense(
    context: ExecutionContext,
    span: readonly { role: string; content: string }[],
    profileName: string,
    taskId: string,
  ): Promise<void> {
    const profile = this.#deps.profileNamed(profileName);
    const transcript = span.map((message) => `${message.role}: ${message.content}`).join('\n\n');
    const messages: ChatMessage[] = [
      { role: 'system', content: SUMMARY_INSTRUCTION },
      { role: 'user', content: transcript },
    ];
    let text: string;
    try {
      ({ text } = await attemptOnce(
        this,
        profile.provider,
        {
          prompt: transcript,
          history: [],
          messages,
          profile: profile.name,
          model: profile.model,
          system: SUMMARY_INSTRUCTION,
          params: profile.params,
          contextName: context.name,
          taskId: `${taskId}:summary`,
          runId: this.runId,
        },
        profile.timeoutMs ?? this.#deps.timeoutMs,
      ));
    } catch {
      return;
    }
    if (this.#cancelReason !== undefined) return;
    const { removed, remaining } = context.applySummary(text, span as never);
    this.#emit({
      type: 'context:trim',
      contextName: context.name,
      removed,
      remaining,
      summary: { content: text, covers: context.summary?.covers ?? removed },
    });
  }

  /** The settings of a context in this run, made once per context. */
  #settingsFor(name: string): ContextSettings {
    const spec = this.workflow.contexts?.[name];
    if (spec === undefined) {
      this.#defaultSettings ??= contextSettings(this.workflow, undefined, undefined);
      return this.#defaultSettings;
    }
    let settings = this.#contextSettings.get(name);
    if (settings === undefined) {
      const system =
        spec.systemTemplate !== undefined
          ? renderTemplate(spec.systemTemplate, { inputs: this.#inputs })
          : spec.system;
      settings = contextSettings(this.workflow, spec, system);
      this.#contextSettings.set(name, settings);
    }
    return settings;
  }

  /** A resume: every context the workflow uses, rebuilt from the record. */
  #rebuildContexts(recovered: RecoveredRun): void {
    const names = new Set<string>();
    for (const phase of this.workflow.phases)
      for (const task of phase.tasks) names.add(task.contextName);
    for (const name of names) {
      const settings = this.#settingsFor(name);
      const history = recovered.histories.get(name) ?? [];
      const summary = recovered.summaries.get(name);
      // As in a live run, a context exists once a task appended to it; an empty one
      // is made only to reset one of that name the orchestrator already holds.
      if (history.length === 0 && summary === undefined) {
        if (this.#deps.existingContext(name, settings) === undefined) continue;
      }
      const context = buildContext(name, settings);
      for (const message of history) context.addMessage(message.role, message.content);
      if (summary !== undefined) {
        context.applySummary(
          summary.content,
          history.filter((message) => message.role !== 'system').slice(0, summary.covers),
        );
      }
      this.#deps.adoptContext(context);
    }
  }

  /** Starts the next attempt of a task, unless the run was cancelled (a listener may have done so). */
  #attempt(execution: TaskExecution): void {
    if (this.#cancelReason !== undefined) {
      this.#endTask(execution, 'cancelled', undefined);
      return;
    }
    execution.attempts++;
    const { provider } = execution.profile;
    const abort = new LazyAbort();
    const request = requestWithSignal(execution.request, abort);
    // A retry or a repair starts from this one: the request the task was launched with is
    // not kept besides it while the call is in flight.
    execution.request = request;
    new ProviderAttempt(this, execution, provider, request, abort, execution.timeoutMs);
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
      time: epochAt(now()),
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
    // try/catch rather than #guard: no closure per task on the completion path.
    try {
      const { task, profile, attempts } = execution;
      let json: unknown;
      if (execution.checker !== undefined) {
        const check = execution.checker.check(text);
        if (!check.ok) {
          this.#repair(execution, text, check.problem);
          return;
        }
        json = check.value;
      }
      const usage = toUsage(providerUsage, profile);
      execution.context ??= this.#deps.context(task.contextName, execution.settings);
      const context = execution.context;
      const ended = now();
      const time = epochAt(ended);
      this.#append(context, task.id, 'user', execution.prompt, time);
      this.#append(context, task.id, 'assistant', text, time);
      const durationMs = ended - execution.started;
      const end: RunEventOf<'task:end'> = {
        type: 'task:end',
        runId: this.runId,
        seq: this.#seq++,
        time,
        taskId: task.id,
        status: 'succeeded',
        response: text,
        attempts,
        durationMs,
      };
      if (json !== undefined) end.json = json;
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
      if (json !== undefined) result.json = json;
      if (usage !== undefined) result.usage = usage;
      execution.phase.taskEnded(execution.index, this.#record(result));
    } catch (error) {
      this.#crash(error);
    }
  }

  /** @internal See AttemptOwner. */
  attemptFailed(execution: TaskExecution, error: unknown): void {
    // try/catch rather than #guard: no closure per task on the completion path.
    try {
      if (this.#cancelReason !== undefined) {
        this.#endTask(execution, 'cancelled', error);
        return;
      }
      const { profile, attempts } = execution;
      const policy =
        profile.retry === undefined ? this.#deps.retry : { ...this.#deps.retry, ...profile.retry };
      const { retryable, retryAfterMs } = isRetryable(error);
      if (!retryable || execution.retriesUsed >= execution.retries) {
        this.#endTask(execution, 'failed', error);
        return;
      }
      execution.retriesUsed++;
      const delayMs = retryDelay(policy, execution.retriesUsed, retryAfterMs, this.#deps.random);
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
    } catch (error) {
      this.#crash(error);
    }
  }

  /**
   * An answer that is not the JSON the task declares: sent back with what is
   * wrong, up to `output.maxRepairs` times, in the same conversation. Only the
   * accepted answer is appended to the context.
   */
  #repair(execution: TaskExecution, answer: string, problem: string): void {
    const output = execution.task.output!;
    if (execution.repairs >= output.maxRepairs) {
      const tries =
        output.maxRepairs === 0
          ? ''
          : ` after ${output.maxRepairs} repair${output.maxRepairs === 1 ? '' : 's'}`;
      this.#endTask(
        execution,
        'failed',
        new OutputValidationError(`The answer was rejected${tries}: ${problem}.`),
      );
      return;
    }
    execution.repairs++;
    this.#emit({
      type: 'task:retry',
      taskId: execution.task.id,
      attempt: execution.attempts + 1,
      delayMs: 0,
      error: toEventError(new OutputValidationError(problem)),
    });
    const instruction = repairPrompt(problem, output.schema);
    execution.request = repairRequest(execution.request, answer, instruction);
    this.#attempt(execution);
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
    execution.phase.taskEnded(
      execution.index,
      this.#record({
        taskId: task.id,
        contextName: task.contextName,
        profile: profile.name,
        status,
        success: false,
        error,
        attempts,
        durationMs,
      }),
    );
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
    time: number,
  ): void {
    const removed = context.addMessage(role, content);
    const { name } = context;
    this.#subject.next({
      type: 'context:message',
      runId: this.runId,
      seq: this.#seq++,
      time,
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
  /** Retries after retryable failures so far (repairs of structured output do not count). */
  retriesUsed = 0;
  retries = 0;
  timeoutMs: number | undefined;
  /** Answers sent back for not being the declared JSON, so far. */
  repairs = 0;
  checker: OutputChecker | undefined;

  constructor(
    readonly phase: PhaseExecution,
    readonly index: number,
    readonly task: Task,
    readonly profile: ResolvedProfile,
    /** Made at the first append when the task started in a context that did not exist yet. */
    public context: ExecutionContext | undefined,
    readonly settings: ContextSettings,
    readonly started: number,
    /** The prompt as sent, templates rendered. */
    readonly prompt: string,
    /** What the next attempt sends; a repair moves its conversation on (see repairRequest). */
    public request: Omit<ProviderRequest, 'signal'>,
  ) {}
}

/** The wait before a retry; a cancel cuts it short (the next attempt then sees the cancel). */
class RetryWait extends Abortable {
  readonly #run: WorkflowRun;
  readonly #execution: TaskExecution;
  readonly #timer: ReturnType<typeof setTimeout>;
  #over = false;

  constructor(run: WorkflowRun, execution: TaskExecution, delayMs: number) {
    super();
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

/**
 * Whether a task uses other tasks' outputs. A workflow object built by hand in
 * plain JavaScript (not by `defineWorkflow` or the loader) may lack `dependsOn`:
 * that means none.
 */
const dependsOnAny = (task: Task): boolean => (task.dependsOn?.length ?? 0) > 0;

/** The history of a context that does not exist yet: shared, and frozen so nobody can add to it. */
const NO_HISTORY: ChatMessage[] = Object.freeze([]) as unknown as ChatMessage[];

/** What a summary profile is told. */
const SUMMARY_INSTRUCTION =
  'Condense the conversation below into one message that keeps every fact, decision, name and number a later turn may need. Write only the summary.';

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
