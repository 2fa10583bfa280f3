import type {
  EventError,
  EventMessage,
  ExecutionMode,
  PhaseStatus,
  RunStatus,
  TaskStatus,
  Usage,
  WorkflowResult,
} from '@multi-context/events';

/**
 * Where a task stands: `pending` before its `task:start` (declared by
 * `run:start`), `running` from then until its `task:end`, then how it ended.
 */
export type TaskViewStatus = 'pending' | 'running' | TaskStatus;

/** Where a run stands: `running` until its `run:end`, then how it ended. */
export type RunViewStatus = 'running' | RunStatus;

/** One attempt of a task: one call to its provider (a repair of a structured answer counts as one). */
export interface AttemptView {
  /** 1 for the first attempt. */
  attempt: number;
  /** Epoch ms the attempt began (after the retry's delay, for a retry). */
  start: number;
  /** Epoch ms it ended; undefined while it runs. */
  end?: number;
  /** Why it failed, when a `task:retry` or a failing `task:end` followed it. */
  error?: EventError;
  /** The delay the retry waited before this attempt (0 for the first one). */
  delayMs: number;
  /** The worker whose call failed or made the last attempt (scale-out runs only). */
  worker?: string;
  /** True when a resume cut it off: the task ran again in the resumed session. */
  interrupted?: boolean;
}

/** A task of the run, as far as its events tell. */
export interface TaskView {
  taskId: string;
  /** Its context; `undefined` for a task that never started until `run:end` names it. */
  contextName: string | undefined;
  phaseIndex: number;
  /** The profile that answered it (from `task:start`). */
  profile?: string;
  /** The prompt as rendered and sent (from `task:start`). */
  prompt?: string;
  status: TaskViewStatus;
  /** Epoch ms of its (last) `task:start`; undefined for a task that never started. */
  start?: number;
  /** Epoch ms of its first `task:start`, when a resume started it again. */
  firstStart?: number;
  /** Epoch ms of its `task:end`. */
  end?: number;
  /** `seq` of its `task:start` (the last one, after a resume). */
  startSeq?: number;
  /** Attempts in order; a retry adds one, labelled with the previous one's error. */
  attempts: AttemptView[];
  /** The text streamed so far (`task:delta`), kept while the task runs. */
  streamedText: string;
  /** How many `task:delta` events arrived for its current run. */
  deltas: number;
  response?: string;
  /** The parsed answer of a task with structured output. */
  json?: unknown;
  usage?: Usage;
  error?: EventError;
  /** `durationMs` of its `task:end`. */
  durationMs?: number;
  /** The worker that made its last attempt (scale-out runs only). */
  worker?: string;
  /** The tools it called, in the order the model asked for them (every session of a resumed task). */
  toolCalls: ToolCallView[];
}

/**
 * A text cut for display: at most its first `TOOL_TEXT_LIMIT` (4,000) characters,
 * and how long the original was (`length > text.length` when it was cut).
 */
export interface ClippedText {
  text: string;
  /** Characters (UTF-16 code units) of the original text. */
  length: number;
}

/**
 * Where a tool call stands: `running` until its result, `ok` or `error` then;
 * `interrupted` when it had none when its task ended (a cancel stopped it) or
 * a resume cut it off (it shows `ok` or `error` again if the resumed session
 * ran it and recorded a result).
 */
export type ToolCallStatus = 'running' | 'ok' | 'error' | 'interrupted';

/** One tool call of a task (`task:tool-call`, then its `task:tool-result`). */
export interface ToolCallView {
  toolCallId: string;
  /** The model step, from 1, that asked for it; the calls of one step run in parallel. */
  step: number;
  tool: string;
  /** The arguments as JSON, cut for display. */
  arguments: ClippedText;
  /** What the model said beside its calls (on the first call of a step that said something), cut. */
  stepText?: ClippedText;
  status: ToolCallStatus;
  /** What the model was sent back (`ok`), cut. */
  result?: ClippedText;
  /** Why the tool gave no result (`error`), its message cut. */
  error?: { name: string; message: ClippedText };
  /** Epoch ms of its `task:tool-call`. */
  start: number;
  /** Epoch ms of its `task:tool-result`. */
  end?: number;
  /** `durationMs` of its `task:tool-result`. */
  durationMs?: number;
}

/** A context's trim: messages left what it sends, dropped or condensed into a summary. */
export interface TrimView {
  time: number;
  seq: number;
  contextName: string;
  removed: number;
  remaining: number;
  summary?: { content: string; covers: number };
}

/** One swimlane: a context, with its tasks in start order. */
export interface LaneView {
  contextName: string;
  /** Ids of the tasks that ran in it, in the order they started. */
  taskIds: string[];
  trims: TrimView[];
}

/** A phase of the workflow: a band across the lanes while it ran. */
export interface PhaseView {
  phaseIndex: number;
  name: string;
  executionMode: ExecutionMode;
  taskIds: string[];
  /** Each time it ran: once, or again after a resume. */
  spans: { start: number; end?: number }[];
  status: 'pending' | 'running' | PhaseStatus;
}

/** A point where a resumed session took the run over (`run:resume`). */
export interface ResumeView {
  time: number;
  seq: number;
  recoveredTaskIds: string[];
  interruptedTaskIds: string[];
  recoveredContexts: string[];
}

/** Counts and sums over the run so far. */
export interface RunTotals {
  /** Tasks by status; `pending` counts tasks declared but not yet started. */
  tasks: Record<TaskViewStatus, number>;
  /** Usage summed over the tasks that ended. */
  usage: Usage;
  /** Epoch ms from `run:start` to `run:end`, or to the last event of a run in progress. */
  durationMs: number;
}

/** Everything the view of a run shows, folded from its events. */
export interface RunView {
  runId: string | undefined;
  workflowName: string | undefined;
  status: RunViewStatus;
  /** Epoch ms of `run:start`. */
  start: number | undefined;
  /** Epoch ms of `run:end`. */
  end: number | undefined;
  /** Epoch ms of the last event folded. */
  lastTime: number | undefined;
  /** How many events were folded. */
  eventCount: number;
  /** Contexts in the order their first task started. */
  lanes: LaneView[];
  phases: PhaseView[];
  /** Every task, declared or started, in the order first seen. */
  tasks: TaskView[];
  resumes: ResumeView[];
  totals: RunTotals;
  /** The `run:end` result, once the run ended. */
  result: WorkflowResult | undefined;
}

/** One message of a context's history as a task sent it. */
export type SentMessage = EventMessage;
