import type { ProviderEvent } from '@multi-context/provider';
import { ProviderError } from '@multi-context/provider';
import { RemoteAttemptError } from './remote-attempt-error.js';

/**
 * An error as a worker reports it: enough to rebuild it on the coordinator,
 * with a `ProviderError`'s fields so that the run's retries work as in one process.
 */
export interface ReportedError {
  name: string;
  message: string;
  /** Present when the error was a `ProviderError`. */
  provider?: { retryable: boolean; status?: number; retryAfterMs?: number; providerId?: string };
}

/** What the worker holding a job says about it, in `seq` order. */
export type ReplyBody =
  | { kind: 'event'; event: ProviderEvent }
  | { kind: 'error'; error: ReportedError }
  | { kind: 'complete' };

/** One entry of a coordinator's reply stream. */
export type ReplyMessage = ReplyBody & {
  /** The BullMQ job id. */
  job: string;
  /** The worker that sent it. */
  worker: string;
  /**
   * Which time the job was taken: a job taken again after its worker stalled
   * speaks with a new token, which is how the coordinator tells two
   * deliveries of one job apart.
   */
  token: string;
  /** 0, 1, 2, ... per token: the order the worker sent them in. */
  seq: number;
};

/** An error thrown on a worker, as it crosses Redis. */
export function reportError(error: unknown): ReportedError {
  if (ProviderError.isInstance(error)) {
    return {
      name: error.name,
      message: error.message,
      provider: {
        retryable: error.retryable,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        ...(error.providerId === undefined ? {} : { providerId: error.providerId }),
      },
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The error a worker reported, as the run gets it: a `ProviderError` again when it was one. */
export function rebuildError(reported: ReportedError, workerId: string | undefined): Error {
  if (reported.provider !== undefined) {
    return new ProviderError({ message: reported.message, ...reported.provider });
  }
  return new RemoteAttemptError(reported.message, reported.name, workerId);
}

/** Reads one stream entry's message; `undefined` for anything that is not one (never throws). */
export function parseReplyMessage(text: string): ReplyMessage | undefined {
  try {
    const value = JSON.parse(text) as Partial<ReplyMessage> | null;
    if (
      typeof value?.job === 'string' &&
      typeof value.token === 'string' &&
      typeof value.seq === 'number' &&
      (value.kind === 'event' || value.kind === 'error' || value.kind === 'complete')
    ) {
      return value as ReplyMessage;
    }
  } catch {
    // Not ours: ignored like any other stranger's entry.
  }
  return undefined;
}
