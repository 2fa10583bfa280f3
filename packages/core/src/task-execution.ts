import type { ExecutionContext } from '@multi-context/context';
import type { Usage } from '@multi-context/events';
import type { ChatMessage, ProviderUsage } from '@multi-context/provider';
import type { Task } from '@multi-context/workflow';
import type { AttemptRequest } from './attempt-executor.js';
import type { ContextSettings } from './context-settings.js';
import type { PhaseExecution } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import type { OutputChecker } from './structured-output.js';

/** A tool step a resume found in flight: the calls the model made, and the results the record kept. */
export interface ResumedCalls {
  step: number;
  calls: NonNullable<ChatMessage['toolCalls']>;
  known: ReadonlyMap<string, ChatMessage>;
}

/** The state of one task while it runs: what every attempt of it needs. */
export class TaskExecution {
  attempts = 0;
  /** Retries after retryable failures so far (repairs of structured output do not count). */
  retriesUsed = 0;
  retries = 0;
  timeoutMs: number | undefined;
  /** Answers sent back for not being the declared JSON, so far. */
  repairs = 0;
  checker: OutputChecker | undefined;
  /** Model steps that ended with tool calls, so far (the agent loop of a task with tools). */
  steps = 0;
  /** How many model steps it may take. */
  maxSteps = 1;
  /**
   * The tool steps so far: each assistant message with its calls, then its
   * results. Joins the context, after the prompt, when the task succeeds.
   */
  readonly transcript: ChatMessage[] = [];
  /** Whether `request.prompt` is still to join the request's history (it does at a tool step). */
  promptPending = true;
  /** The token counts of the model calls before this one (tool steps, rejected answers), added up. */
  usage: ProviderUsage | undefined;
  /** The cost of those calls already counted against the run's budget. */
  costCounted = 0;
  /** The usage of the summary made of its context before it started, priced by the summary's profile. */
  summaryUsage: Usage | undefined;
  /** A resume's step in flight: its tool calls, some with recorded results, to finish before the next model step. */
  resumedCalls: ResumedCalls | undefined;

  constructor(
    readonly phase: PhaseExecution,
    readonly index: number,
    readonly task: Task,
    readonly profile: ResolvedProfile,
    /** Made at the first append when the task started in a context that did not exist yet. */
    public context: ExecutionContext | undefined,
    readonly settings: ContextSettings,
    /** The `now()` reading of its `task:start`, which its duration is measured from. */
    readonly started: number,
    /** The prompt as sent, templates rendered. */
    readonly prompt: string,
    /** What the next attempt sends; a repair moves its conversation on (see repairRequest). */
    public request: AttemptRequest,
  ) {}
}
