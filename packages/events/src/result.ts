import { z } from 'zod';
import { usageSchema } from './usage.js';

/** How a task ended. */
export const taskStatusSchema = z.enum(['succeeded', 'failed', 'cancelled', 'skipped']);
/** How a task ended. */
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** How a phase ended: `skipped` when an earlier failure stopped the run before it. */
export const phaseStatusSchema = z.enum(['succeeded', 'failed', 'cancelled', 'skipped']);
/** How a phase ended. */
export type PhaseStatus = z.infer<typeof phaseStatusSchema>;

/** How a run ended. */
export const runStatusSchema = z.enum(['succeeded', 'failed', 'cancelled']);
/** How a run ended. */
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * Why a run stopped before its tasks were done, when neither a failure nor a
 * user stopped it: its budget (`maxCost`) was reached. The run then ends
 * `cancelled`, and can be resumed with a higher budget.
 */
export const runStopReasonSchema = z.object({
  kind: z.literal('budget'),
  /** One sentence for people: what the cost reached and what happened to the tasks. */
  message: z.string(),
  /** The budget: the most the run may cost. */
  maxCost: z.number().nonnegative(),
  /** What the run had cost when the budget was reached, its earlier sessions included (tasks in flight may add to it). */
  cost: z.number().nonnegative(),
  /** The currency of both amounts, when the run's prices say. */
  currency: z.string().optional(),
  /** Whether the tasks in flight were cancelled (a hard budget) rather than left to finish. */
  hard: z.boolean(),
});
/** Why a run stopped before its tasks were done: see {@link runStopReasonSchema}. */
export type RunStopReason = z.infer<typeof runStopReasonSchema>;

/** How a phase schedules its tasks. */
export const executionModeSchema = z.enum(['sequential', 'parallel']);
/** How a phase schedules its tasks. */
export type ExecutionMode = z.infer<typeof executionModeSchema>;

/** A serialisable error: what a task failure looks like in events and results. */
export const eventErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** HTTP status of a provider failure, when there was one. */
  status: z.number().int().optional(),
  /** Whether the failure was of a kind that a retry may cure. */
  retryable: z.boolean().optional(),
});
/** A serialisable error: what a task failure looks like in events and results. */
export type EventError = z.infer<typeof eventErrorSchema>;

/** The outcome of one task. */
export const taskResultSchema = z.object({
  taskId: z.string(),
  contextName: z.string(),
  profile: z.string(),
  status: taskStatusSchema,
  success: z.boolean(),
  response: z.string().optional(),
  /** The parsed answer of a task with structured output (`output: { format: json }`). */
  json: z.unknown().optional(),
  error: eventErrorSchema.optional(),
  attempts: z.number().int().nonnegative(),
  usage: usageSchema.optional(),
  durationMs: z.number().nonnegative(),
});
/** The outcome of one task. */
export type TaskResult = z.infer<typeof taskResultSchema>;

/** The outcome of one phase, with a result for each of its tasks in declaration order. */
export const phaseResultSchema = z.object({
  name: z.string(),
  executionMode: executionModeSchema,
  status: phaseStatusSchema,
  results: z.array(taskResultSchema),
  /** The sum of its tasks' usage. */
  usage: usageSchema,
});
/** The outcome of one phase. */
export type PhaseResult = z.infer<typeof phaseResultSchema>;

/** The outcome of a whole run: what `run.result` resolves to and `run:end` carries. */
export const workflowResultSchema = z.object({
  runId: z.string(),
  workflowName: z.string(),
  success: z.boolean(),
  status: runStatusSchema,
  phases: z.array(phaseResultSchema),
  totalTasks: z.number().int().nonnegative(),
  successfulTasks: z.number().int().nonnegative(),
  failedTasks: z.number().int().nonnegative(),
  usage: usageSchema,
  /** Usage summed per context, over the tasks of this run. */
  contextUsage: z.record(z.string(), usageSchema),
  durationMs: z.number().nonnegative(),
  /** Why the run stopped early, when its budget stopped it (status `cancelled`). */
  reason: runStopReasonSchema.optional(),
});
/** The outcome of a whole run. */
export type WorkflowResult = z.infer<typeof workflowResultSchema>;
