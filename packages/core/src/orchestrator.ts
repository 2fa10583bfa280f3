import { DEFAULT_MAX_HISTORY, ExecutionContext } from '@multi-context/context';
import type { RunEvent, WorkflowResult } from '@multi-context/events';
import { isProvider, type Provider } from '@multi-context/provider';
import { resolveInputs, type Task, type Workflow } from '@multi-context/workflow';
import { type AttemptExecutor, inProcessExecutor } from './attempt-executor.js';
import { buildContext, type ContextSettings, matchesSettings } from './context-settings.js';
import type { ReplayOption } from './event-replay.js';
import { reportSubscriberError, type SubscriberErrorHandler } from './event-stream.js';
import { OrchestratorConfigError } from './orchestrator-config-error.js';
import { DEFAULT_CURRENCY, type ProfileConfig, type ResolvedProfile } from './profile.js';
import { recoverRun } from './recover-run.js';
import { checkTools, resolveTools } from './resolve-tools.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { Run, type RunDependencies, type RunSetup } from './run.js';
import { RunAlreadyEndedError } from './run-already-ended-error.js';
import type { BudgetSettings } from './run-budget.js';
import { SESSION_PROVIDER_NAME, type SessionLike, sessionProvider } from './session-provider.js';
import { DEFAULT_MAX_STEPS, DEFAULT_TOOL_TIMEOUT_MS, type Tool } from './tool.js';
import type { WorkflowRun } from './workflow-run.js';

/** How to build a {@link MultiContextOrchestrator}. */
export interface MultiContextOrchestratorOptions {
  /** Provider instances by the name profiles use. */
  providers?: Record<string, Provider>;
  /** Profiles by name. A task whose profile is not here runs on `defaultProvider`, the name passed along. */
  profiles?: Record<string, ProfileConfig>;
  /** The provider of profiles that name none. Defaults to the only provider, when there is one. */
  defaultProvider?: string;
  /** The original module's host: `session.runProfile({ profile, prompt, history })` answers every task. */
  session?: SessionLike;
  /** History limit of contexts made outside a run (`getOrCreateContext`). Default 50. */
  maxContextHistory?: number;
  /** Run-wide retry defaults; a profile's `retry` overrides them. */
  retry?: Partial<RetryPolicy>;
  /** Default bound of each attempt in milliseconds; none by default. */
  timeoutMs?: number;
  /** Where errors thrown by event subscribers go. Default: `console.error`, and the run goes on. */
  onSubscriberError?: SubscriberErrorHandler;
  /** The random source of retry jitter (tests make it deterministic). */
  random?: () => number;
  /**
   * Where each attempt's provider call is made (and each summary's): given the
   * request as it will be sent (plain JSON data, naming its provider), it
   * delivers the provider's events. Default: {@link inProcessExecutor}, which
   * calls the provider instance of `providers` in this process. Timeouts,
   * retries, repairs and contexts stay with the run whatever the executor.
   */
  executor?: AttemptExecutor;
  /**
   * Tools by name, which profiles name in their `tools` (see {@link Tool};
   * `defineTool` from `@multi-context/tools` makes one). A task whose profile
   * names tools runs the agent loop.
   */
  tools?: Record<string, Tool>;
  /** How many model steps a task with tools may take when its task and profile do not say. Default 10. */
  maxSteps?: number;
  /** Bound of one tool call in milliseconds, for tools that do not say. Default 60,000. */
  toolTimeoutMs?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Aborting it cancels the run, like `run.cancel()`. */
  signal?: AbortSignal;
  /** The run's id; a random UUID by default. */
  runId?: string;
  /**
   * Values of the workflow's `inputs` (strings are converted to the declared
   * type, as from a command line). Missing, unknown or ill-typed inputs throw a
   * `WorkflowInputError` before anything runs.
   */
  inputs?: Record<string, unknown>;
  /**
   * What a late subscriber of `run.events$` (or a late `run.on()`) gets first:
   * `true` every event of the run so far, a number `n` the newest `n` of
   * them, then the rest live. Off by default: the stream is hot, and a
   * subscriber sees only the events after it subscribed. `true` keeps every
   * event (streamed pieces included) as long as the run object is kept; a
   * number bounds that. Anything else throws `OrchestratorConfigError`.
   */
  replay?: ReplayOption;
  /**
   * The run's budget, in the currency of its profiles' prices: once the cost
   * of the tasks that ended reaches it, no new task starts and the run ends
   * `cancelled` with `reason: { kind: 'budget', ... }`. Overrides the
   * workflow's `config.maxCost`.
   */
  maxCost?: number;
  /** With a budget: cancel the tasks in flight when it is reached, rather than let them finish. */
  maxCostHard?: boolean;
}

/** Options of {@link MultiContextOrchestrator.resume}. */
export interface ResumeOptions {
  /** The interrupted run's events, in order, from its `run:start` (a journal's records). */
  events: readonly RunEvent[];
  /** Aborting it cancels the resumed run. */
  signal?: AbortSignal;
  /** The inputs the interrupted run was given. */
  inputs?: Record<string, unknown>;
  /** What a late subscriber gets first, from `run:resume` on: see {@link RunOptions.replay}. */
  replay?: ReplayOption;
  /**
   * The resumed run's budget (see {@link RunOptions.maxCost}): what the
   * recorded sessions cost counts toward it, so a run its budget stopped
   * goes on once this is higher. Overrides the budget the run was recorded
   * with (its `run:start` or last `run:resume`), which it otherwise keeps,
   * and the workflow's `config.maxCost`.
   */
  maxCost?: number;
  /** See {@link RunOptions.maxCostHard}. Without it, a recorded budget keeps its own. */
  maxCostHard?: boolean;
}

/** A context the orchestrator holds, and the run settings it was last found to match. */
interface ContextSlot {
  readonly context: ExecutionContext;
  checkedWith: ContextSettings | undefined;
}

/**
 * Runs workflows across isolated, named conversation contexts. Contexts live
 * in the orchestrator, so a context named again in a later phase, or in a later
 * run, continues its own conversation.
 *
 * @example
 * const orchestrator = new MultiContextOrchestrator({ providers: { echo }, defaultProvider: 'echo' });
 * const run = orchestrator.run(workflow);
 * run.events$.subscribe((event) => console.log(event.type));
 * const result = await run.result;
 */
export class MultiContextOrchestrator {
  readonly #providers: Record<string, Provider>;
  readonly #profiles: Record<string, ProfileConfig>;
  readonly #defaultProvider: string | undefined;
  /**
   * Each context by name, with the run settings it was last found to match:
   * one lookup per task start tells whether the context can be used as it is.
   */
  readonly #contexts = new Map<string, ContextSlot>();
  readonly #maxContextHistory: number;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number | undefined;
  readonly #onSubscriberError: SubscriberErrorHandler;
  readonly #random: () => number;
  readonly #executor: AttemptExecutor;
  readonly #tools: ReadonlyMap<string, Tool>;
  readonly #maxSteps: number;
  readonly #toolTimeoutMs: number;

  constructor(options: MultiContextOrchestratorOptions) {
    const providers: Record<string, Provider> = { ...options.providers };
    if (options.session !== undefined)
      providers[SESSION_PROVIDER_NAME] = sessionProvider(options.session);
    for (const [name, provider] of Object.entries(providers)) {
      if (!isProvider(provider)) {
        throw new OrchestratorConfigError(
          `providers.${name} is not a provider of specification v1: build it with defineProvider() from @multi-context/provider.`,
        );
      }
    }
    const names = Object.keys(providers);
    if (names.length === 0) {
      throw new OrchestratorConfigError(
        'No provider: pass `providers` (or a seed-style `session`).',
      );
    }
    const defaultProvider =
      options.defaultProvider ??
      (options.session !== undefined
        ? SESSION_PROVIDER_NAME
        : names.length === 1
          ? names[0]
          : undefined);
    if (defaultProvider !== undefined && !(defaultProvider in providers)) {
      throw new OrchestratorConfigError(
        `defaultProvider "${defaultProvider}" is not one of the providers (${names.join(', ')}).`,
      );
    }
    this.#providers = providers;
    this.#profiles = { ...options.profiles };
    checkCurrencies(this.#profiles);
    this.#defaultProvider = defaultProvider;
    this.#maxContextHistory = options.maxContextHistory ?? DEFAULT_MAX_HISTORY;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#timeoutMs = options.timeoutMs;
    this.#onSubscriberError = options.onSubscriberError ?? reportSubscriberError;
    this.#random = options.random ?? Math.random;
    if (options.executor !== undefined && typeof options.executor?.execute !== 'function') {
      throw new OrchestratorConfigError(
        'executor must have an execute(request, sink, local) method (see AttemptExecutor).',
      );
    }
    this.#executor = options.executor ?? inProcessExecutor;
    this.#tools = checkTools(options.tools);
    this.#maxSteps = positive(options.maxSteps, 'maxSteps') ?? DEFAULT_MAX_STEPS;
    this.#toolTimeoutMs =
      positive(options.toolTimeoutMs, 'toolTimeoutMs') ?? DEFAULT_TOOL_TIMEOUT_MS;
  }

  /**
   * Starts a run of `workflow` on the next turn of the event loop and returns its handle at
   * once: subscribe to `run.events$` before awaiting anything else to see it from
   * `run:start`, or pass `replay`. Throws {@link OrchestratorConfigError} before
   * anything runs if a task's profile cannot be resolved to a provider.
   */
  run(workflow: Workflow, options: RunOptions = {}): WorkflowRun {
    assertWorkflow(workflow);
    const inputs = resolveInputs(workflow, options.inputs ?? {});
    const deps = this.#dependencies(workflow);
    const setup: RunSetup = { runId: options.runId ?? crypto.randomUUID(), inputs };
    if (options.signal !== undefined) setup.signal = options.signal;
    if (options.replay !== undefined) setup.replay = options.replay;
    const budget = budgetOf(workflow, options);
    if (budget !== undefined) setup.budget = budget;
    return new Run(workflow, deps, setup);
  }

  /**
   * Continues an interrupted run from its recorded events (a journal's, see
   * `@multi-context/journal`): every context the workflow uses is rebuilt from
   * the record, tasks that ended are not sent to a provider again, and tasks
   * that were in flight run again from their context as it stood before them.
   * The run keeps its id, continues `seq`, and emits `run:resume` first.
   *
   * Throws {@link RunAlreadyEndedError} when the run ended (succeeded or
   * failed) and {@link OrchestratorConfigError} when the events are not a run
   * of `workflow`, before anything runs.
   */
  resume(workflow: Workflow, options: ResumeOptions): WorkflowRun {
    assertWorkflow(workflow);
    const recovered = recoverRun(workflow, options.events);
    if (recovered.ended !== undefined) {
      throw new RunAlreadyEndedError(recovered.runId, recovered.ended.status);
    }
    const inputs = resolveInputs(workflow, options.inputs ?? {});
    const deps = this.#dependencies(workflow);
    const setup: RunSetup = { runId: recovered.runId, inputs, recovered };
    if (options.signal !== undefined) setup.signal = options.signal;
    if (options.replay !== undefined) setup.replay = options.replay;
    // A budget given to the resume replaces the recorded one; without one, the run keeps its own.
    const budget =
      options.maxCost === undefined && recovered.budget !== undefined
        ? { maxCost: recovered.budget.maxCost, hard: options.maxCostHard ?? recovered.budget.hard }
        : budgetOf(workflow, options);
    if (budget !== undefined) setup.budget = budget;
    return new Run(workflow, deps, setup);
  }

  #dependencies(workflow: Workflow): RunDependencies {
    const resolved = new Map<string, ResolvedProfile>();
    const profileNamed = (name: string, usedBy: string): ResolvedProfile => {
      let profile = resolved.get(name);
      if (profile === undefined) {
        profile = this.#resolveProfile(name, usedBy);
        resolved.set(name, profile);
      }
      return profile;
    };
    const profileFor = (task: Task): ResolvedProfile => {
      const name = task.profile ?? workflow.defaultProfile ?? 'default';
      // Called at every task start: the message part is made only for a profile not resolved yet.
      return resolved.get(name) ?? profileNamed(name, `task "${task.id}"`);
    };
    // Every profile is resolved now, so a misconfiguration fails before any call.
    for (const phase of workflow.phases) for (const task of phase.tasks) profileFor(task);
    for (const [name, spec] of Object.entries(workflow.contexts ?? {})) {
      if (typeof spec.trim === 'object')
        profileNamed(spec.trim.profile, `the summaries of context "${name}"`);
    }
    return {
      profileFor,
      profileNamed: (name) => profileNamed(name, 'a summary'),
      context: (name, settings) => this.#contextFor(name, settings),
      existingContext: (name, settings) => {
        const slot = this.#contexts.get(name);
        return slot === undefined ? undefined : this.#contextFor(name, settings, slot);
      },
      adoptContext: (context) => {
        this.#contexts.set(context.name, { context, checkedWith: undefined });
      },
      executor: this.#executor,
      retry: this.#retry,
      timeoutMs: this.#timeoutMs,
      onSubscriberError: this.#onSubscriberError,
      random: this.#random,
      maxSteps: this.#maxSteps,
      toolTimeoutMs: this.#toolTimeoutMs,
    };
  }

  /** Runs `workflow` to the end: the seed's one-call form of `run(workflow).result`. */
  executeWorkflow(workflow: Workflow, options?: RunOptions): Promise<WorkflowResult> {
    try {
      return this.run(workflow, options).result;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The context of that name, made empty with the orchestrator's history limit if it does not exist. */
  getOrCreateContext(name: string): ExecutionContext {
    const slot = this.#contexts.get(name);
    if (slot !== undefined) return slot.context;
    const context = new ExecutionContext(name, { maxHistory: this.#maxContextHistory });
    this.#contexts.set(name, { context, checkedWith: undefined });
    return context;
  }

  /** The names of the contexts that exist. */
  getContextNames(): string[] {
    return [...this.#contexts.keys()];
  }

  /** Forgets one context's history. */
  clearContext(name: string): void {
    this.#contexts.get(name)?.context.clearHistory();
  }

  /** Forgets every context's history. */
  clearAllContexts(): void {
    for (const { context } of this.#contexts.values()) context.clearHistory();
  }

  #contextFor(
    name: string,
    settings: ContextSettings,
    slot = this.#contexts.get(name),
  ): ExecutionContext {
    if (slot !== undefined) {
      // A run makes one settings object per context: compare a context with it once.
      if (slot.checkedWith === settings) return slot.context;
      if (matchesSettings(slot.context, settings)) {
        slot.checkedWith = settings;
        return slot.context;
      }
    }
    // A workflow's own settings win: the context is rebuilt with them, keeping
    // the newest messages that fit.
    const context = buildContext(name, settings, slot?.context);
    this.#contexts.set(name, { context, checkedWith: settings });
    return context;
  }

  #resolveProfile(name: string, usedBy: string): ResolvedProfile {
    const config = Object.hasOwn(this.#profiles, name) ? this.#profiles[name] : undefined;
    const providerName = config?.provider ?? this.#defaultProvider;
    if (providerName === undefined) {
      throw new OrchestratorConfigError(
        `Profile "${name}" (used by ${usedBy}) names no provider, and there is no defaultProvider.`,
      );
    }
    const provider = Object.hasOwn(this.#providers, providerName)
      ? this.#providers[providerName]
      : undefined;
    if (provider === undefined) {
      throw new OrchestratorConfigError(
        `Profile "${name}" (used by ${usedBy}) names provider "${providerName}", which is not one of: ${Object.keys(this.#providers).join(', ')}.`,
      );
    }
    return {
      name,
      providerName,
      provider,
      model: config?.model,
      system: config?.system,
      params: config?.params ?? {},
      retry: config?.retry,
      timeoutMs: config?.timeoutMs,
      price: config?.price,
      tools: resolveTools(name, usedBy, config?.tools, this.#tools, provider, providerName),
      maxSteps: config?.maxSteps,
    };
  }
}

/** The budget of a run: its option, or the workflow's `config.maxCost`. */
function budgetOf(
  workflow: Workflow,
  options: { maxCost?: number; maxCostHard?: boolean },
): BudgetSettings | undefined {
  const maxCost = options.maxCost ?? workflow.config.maxCost;
  if (maxCost === undefined) return undefined;
  if (typeof maxCost !== 'number' || !Number.isFinite(maxCost) || maxCost <= 0) {
    throw new OrchestratorConfigError(`maxCost must be a positive number, got ${String(maxCost)}.`);
  }
  return { maxCost, hard: options.maxCostHard === true };
}

/** A run's cost is one sum, so its prices must share a currency. */
function checkCurrencies(profiles: Record<string, ProfileConfig>): void {
  const byCurrency = new Map<string, string[]>();
  for (const [name, config] of Object.entries(profiles)) {
    if (config?.price === undefined) continue;
    const currency = config.price.currency ?? DEFAULT_CURRENCY;
    byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), name]);
  }
  if (byCurrency.size <= 1) return;
  const list = [...byCurrency].map(([currency, names]) => `${currency} (${names.join(', ')})`);
  throw new OrchestratorConfigError(
    `Profiles price in different currencies: ${list.join(' and ')}. A run's cost is one sum: give every price the same currency.`,
  );
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined || (Number.isInteger(value) && value > 0)) return value;
  throw new OrchestratorConfigError(`${name} must be a positive integer, got ${String(value)}.`);
}

function assertWorkflow(workflow: Workflow): void {
  const ok =
    typeof workflow === 'object' &&
    workflow !== null &&
    typeof workflow.name === 'string' &&
    Array.isArray(workflow.phases) &&
    typeof workflow.config === 'object' &&
    workflow.config !== null;
  if (!ok) {
    throw new OrchestratorConfigError(
      'run() takes a Workflow: load one with loadWorkflow() from @multi-context/loader or build one with defineWorkflow() from @multi-context/workflow.',
    );
  }
}
