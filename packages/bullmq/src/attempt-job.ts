import type { AttemptRequest } from '@multi-context/core';
import { z } from 'zod';
import { InvalidAttemptJobError } from './invalid-attempt-job-error.js';

/** What a job of ours says it is, so a worker can tell it from a stranger's job on the same queue. */
export const ATTEMPT_JOB_FORMAT = 'multi-context.attempt';

/**
 * The version of the job data below, and of the answers a worker sends for
 * it. A worker refuses a job of another version rather than guess at it:
 * coordinators and workers of one version are deployed together. Version 2:
 * a reply stream entry may hold several messages (a field `m` each), which a
 * version-1 coordinator would read only the first of.
 */
export const ATTEMPT_JOB_VERSION = 2;

/** The data of one attempt's job: the request as sent, and where the worker sends the provider's events. */
export interface AttemptJobData {
  format: typeof ATTEMPT_JOB_FORMAT;
  version: typeof ATTEMPT_JOB_VERSION;
  /** The Redis stream the coordinator reads this job's events from. */
  replyTo: string;
  request: AttemptRequest;
  /**
   * The W3C Trace Context (`traceparent`, `tracestate`) of the attempt's span
   * on the coordinator, when it traces its runs: a worker that traces its
   * calls makes them children of it. Optional, so the version is the same: a
   * worker without it ignores it, and a job without it is traced from a new root.
   */
  traceContext?: Record<string, string>;
}

// `tool` and the tool parts (loose keys) of specification v2: a step of a task with tools.
const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
});

// Loose objects: a newer coordinator may add optional request fields that an older worker passes on untouched.
const attemptRequestSchema = z.looseObject({
  provider: z.string().min(1),
  prompt: z.string(),
  history: z.array(chatMessageSchema),
  messages: z.array(chatMessageSchema),
  profile: z.string(),
  model: z.string().optional(),
  system: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  contextName: z.string(),
  taskId: z.string(),
  runId: z.string(),
});

const attemptJobSchema = z.object({
  format: z.literal(ATTEMPT_JOB_FORMAT),
  version: z.literal(ATTEMPT_JOB_VERSION),
  replyTo: z.string().min(1),
  request: attemptRequestSchema,
  traceContext: z.record(z.string(), z.string()).optional(),
});

/** The job data a coordinator sends for `request` (with the trace context of its attempt, when it has one). */
export function attemptJobData(
  request: AttemptRequest,
  replyTo: string,
  traceContext?: Readonly<Record<string, string>>,
): AttemptJobData {
  const data: AttemptJobData = {
    format: ATTEMPT_JOB_FORMAT,
    version: ATTEMPT_JOB_VERSION,
    replyTo,
    request,
  };
  if (traceContext !== undefined) data.traceContext = { ...traceContext };
  return data;
}

/**
 * Checks a job's data before a worker acts on it.
 *
 * @throws InvalidAttemptJobError - with a reason a person can act on: not a
 *   multi-context job, another version, or which fields are wrong.
 */
export function parseAttemptJob(data: unknown, jobId: string): AttemptJobData {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (record.format !== ATTEMPT_JOB_FORMAT) {
    throw new InvalidAttemptJobError(
      jobId,
      `it is not a multi-context attempt (its data has no format "${ATTEMPT_JOB_FORMAT}"); is another application using this queue?`,
    );
  }
  if (record.version !== ATTEMPT_JOB_VERSION) {
    throw new InvalidAttemptJobError(
      jobId,
      `its format version is ${JSON.stringify(record.version)} and this worker reads version ${ATTEMPT_JOB_VERSION}; run coordinators and workers of the same @multi-context/bullmq version.`,
    );
  }
  const parsed = attemptJobSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`,
    );
    throw new InvalidAttemptJobError(
      jobId,
      `its data is not a valid attempt: ${problems.join('; ')}.`,
    );
  }
  // The schema checked every field the provider contract requires; the rest passes through as
  // sent. The data itself, not zod's copy of it: the schema transforms nothing, and a worker with
  // hundreds of calls in flight would hold two copies of each request.
  return data as AttemptJobData;
}

/** Where an invalid job would want its answer, when its data says so: its coordinator then hears why at once. */
export function replyToOf(data: unknown): string | undefined {
  const replyTo = (data as { replyTo?: unknown } | null | undefined)?.replyTo;
  return typeof replyTo === 'string' && replyTo.length > 0 ? replyTo : undefined;
}
