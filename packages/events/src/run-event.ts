import { z } from 'zod';
import {
  eventErrorSchema,
  executionModeSchema,
  phaseStatusSchema,
  runStatusSchema,
  runStopReasonSchema,
  taskStatusSchema,
  workflowResultSchema,
} from './result.js';
import { usageSchema } from './usage.js';

/** A tool call an assistant message made: its id, the tool, and the arguments (JSON). */
export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
/** A tool call an assistant message made. */
export type EventToolCall = z.infer<typeof toolCallSchema>;

/**
 * One message of a conversation. An `assistant` message may carry the
 * `toolCalls` the model made; a `tool` message is the result of one call
 * (`toolCallId`, `toolName`, `isError` when it failed).
 */
export const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(toolCallSchema).optional(),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  isError: z.boolean().optional(),
});
/** One message of a conversation. */
export type EventMessage = z.infer<typeof messageSchema>;

/** The fields every event carries. */
const common = {
  runId: z.string(),
  /** Position of the event in its run: 0 for `run:start`, then exactly +1 per event. */
  seq: z.number().int().nonnegative(),
  /** Epoch milliseconds. */
  time: z.number(),
};

/** A run's budget as its session began: what a resume keeps when it is given none. */
export const runBudgetSchema = z.object({
  /** The most the run may cost, in the currency of its prices. */
  maxCost: z.number().positive(),
  /** Whether the tasks in flight are cancelled when it is reached. */
  hard: z.boolean(),
});

export const runStartEventSchema = z.object({
  type: z.literal('run:start'),
  ...common,
  workflowName: z.string(),
  totalTasks: z.number().int().nonnegative(),
  phases: z.array(
    z.object({
      name: z.string(),
      executionMode: executionModeSchema,
      taskIds: z.array(z.string()),
    }),
  ),
  /** The run's budget, when it has one. */
  budget: runBudgetSchema.optional(),
});

export const phaseStartEventSchema = z.object({
  type: z.literal('phase:start'),
  ...common,
  phaseIndex: z.number().int().nonnegative(),
  phaseName: z.string(),
});

export const phaseEndEventSchema = z.object({
  type: z.literal('phase:end'),
  ...common,
  phaseIndex: z.number().int().nonnegative(),
  phaseName: z.string(),
  status: phaseStatusSchema,
});

export const taskStartEventSchema = z.object({
  type: z.literal('task:start'),
  ...common,
  taskId: z.string(),
  phaseIndex: z.number().int().nonnegative(),
  contextName: z.string(),
  profile: z.string(),
  prompt: z.string(),
  /**
   * The id of the provider that answers the task (its `Provider.id`, such as
   * `anthropic`), and the model its profile names: what a trace labels the
   * task's calls with. Absent from the events of older runs.
   */
  provider: z.string().optional(),
  model: z.string().optional(),
});

export const taskDeltaEventSchema = z.object({
  type: z.literal('task:delta'),
  ...common,
  taskId: z.string(),
  text: z.string(),
});

export const taskRetryEventSchema = z.object({
  type: z.literal('task:retry'),
  ...common,
  taskId: z.string(),
  /** The attempt about to start (2 for the first retry). */
  attempt: z.number().int().positive(),
  delayMs: z.number().nonnegative(),
  error: eventErrorSchema,
  /** The worker whose call failed, when the run's calls are made by remote workers (scale-out). */
  worker: z.string().optional(),
});

export const taskEndEventSchema = z.object({
  type: z.literal('task:end'),
  ...common,
  taskId: z.string(),
  status: taskStatusSchema,
  response: z.string().optional(),
  /** The parsed answer of a task with structured output. */
  json: z.unknown().optional(),
  error: eventErrorSchema.optional(),
  attempts: z.number().int().nonnegative(),
  usage: usageSchema.optional(),
  durationMs: z.number().nonnegative(),
  /** The worker that made the last attempt's call, when the run's calls are made by remote workers (scale-out). */
  worker: z.string().optional(),
});

/**
 * A task's model asked to call a tool (one event per call, in the order of
 * the calls, before any of them runs). `step` is the model step, from 1, that
 * made the call; its first call carries `text`, what the model said beside
 * its calls, when it said anything. What a resume rebuilds a step in flight from.
 */
export const taskToolCallEventSchema = z.object({
  type: z.literal('task:tool-call'),
  ...common,
  taskId: z.string(),
  step: z.number().int().positive(),
  /** How many calls the step made: a record with fewer of its calls was cut in the middle of them. */
  calls: z.number().int().positive(),
  toolCallId: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  text: z.string().optional(),
  /**
   * On the step's first call: what the model call that asked for the calls
   * used (and cost, when priced). The task's end gives the task's total,
   * these steps included.
   */
  usage: usageSchema.optional(),
});

/**
 * A tool call of a task ended: `result` is what the model is sent, or `error`
 * says why the tool gave none (it threw, timed out, returned what is not
 * JSON, or its arguments failed its input schema, in which case it did not
 * run); the model is sent the error's message. A call stopped by a cancel has
 * no result event: a resume runs it again.
 */
export const taskToolResultEventSchema = z.object({
  type: z.literal('task:tool-result'),
  ...common,
  taskId: z.string(),
  step: z.number().int().positive(),
  toolCallId: z.string(),
  tool: z.string(),
  result: z.string().optional(),
  error: eventErrorSchema.optional(),
  durationMs: z.number().nonnegative(),
});

export const contextMessageEventSchema = z.object({
  type: z.literal('context:message'),
  ...common,
  contextName: z.string(),
  /** The task whose prompt or answer this is. */
  taskId: z.string(),
  message: messageSchema,
});

export const contextTrimEventSchema = z.object({
  type: z.literal('context:trim'),
  ...common,
  contextName: z.string(),
  removed: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  /**
   * When the trim condensed messages into a summary (the summarising policy):
   * the summary sent in their place, and how many history messages it covers.
   */
  summary: z.object({ content: z.string(), covers: z.number().int().nonnegative() }).optional(),
  /**
   * What the call that made `summary` used (and cost, when priced). The task
   * it was made for, the next of the context, counts it in its own usage.
   */
  usage: usageSchema.optional(),
});

/**
 * A run continues after an interruption (`resume`). It is the first event of
 * the resumed session and continues the interrupted session's `seq`; what came
 * before it is the interrupted session. The phase that was in progress starts
 * again (a new `phase:start`), and only the tasks that had not ended run.
 */
export const runResumeEventSchema = z.object({
  type: z.literal('run:resume'),
  ...common,
  workflowName: z.string(),
  /** Tasks whose recorded end is kept: they are not sent to a provider again. */
  recoveredTaskIds: z.array(z.string()),
  /** Tasks that had started but not ended: they run again from their context as it was. */
  interruptedTaskIds: z.array(z.string()),
  /** Contexts whose history was rebuilt from the record. */
  recoveredContexts: z.array(z.string()),
  /** The resumed run's budget, when it has one (given to the resume, or kept from the record). */
  budget: runBudgetSchema.optional(),
});

export const runEndEventSchema = z.object({
  type: z.literal('run:end'),
  ...common,
  status: runStatusSchema,
  /** Why the run stopped early, when its budget stopped it (as `result.reason`). */
  reason: runStopReasonSchema.optional(),
  result: workflowResultSchema,
});

/** Any event of a run, discriminated by `type`. Validate untrusted input (a journal, a socket) with it. */
export const runEventSchema = z.discriminatedUnion('type', [
  runStartEventSchema,
  phaseStartEventSchema,
  phaseEndEventSchema,
  taskStartEventSchema,
  taskDeltaEventSchema,
  taskRetryEventSchema,
  taskToolCallEventSchema,
  taskToolResultEventSchema,
  taskEndEventSchema,
  contextMessageEventSchema,
  contextTrimEventSchema,
  runResumeEventSchema,
  runEndEventSchema,
]);

export type RunStartEvent = z.infer<typeof runStartEventSchema>;
export type PhaseStartEvent = z.infer<typeof phaseStartEventSchema>;
export type PhaseEndEvent = z.infer<typeof phaseEndEventSchema>;
export type TaskStartEvent = z.infer<typeof taskStartEventSchema>;
export type TaskDeltaEvent = z.infer<typeof taskDeltaEventSchema>;
export type TaskRetryEvent = z.infer<typeof taskRetryEventSchema>;
export type TaskEndEvent = z.infer<typeof taskEndEventSchema>;
export type TaskToolCallEvent = z.infer<typeof taskToolCallEventSchema>;
export type TaskToolResultEvent = z.infer<typeof taskToolResultEventSchema>;
export type ContextMessageEvent = z.infer<typeof contextMessageEventSchema>;
export type ContextTrimEvent = z.infer<typeof contextTrimEventSchema>;
export type RunResumeEvent = z.infer<typeof runResumeEventSchema>;
export type RunEndEvent = z.infer<typeof runEndEventSchema>;

/** Any event of a run, discriminated by `type`. */
export type RunEvent = z.infer<typeof runEventSchema>;

/** The `type` of every run event. */
export type RunEventType = RunEvent['type'];

/** The event of one `type`. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** Every event type, in the order a run first emits them. */
export const RUN_EVENT_TYPES = runEventSchema.options.map(
  (option) => option.shape.type.value,
) as readonly RunEventType[];

/** What an emitter supplies: an event without the fields the run stamps on (`runId`, `seq`, `time`). */
export type RunEventPayload<T extends RunEventType = RunEventType> = T extends RunEventType
  ? Omit<RunEventOf<T>, 'runId' | 'seq' | 'time'>
  : never;
