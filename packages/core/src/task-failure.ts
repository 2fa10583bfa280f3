import type { EventError } from '@multi-context/events';
import { ProviderError } from '@multi-context/provider';
import { TaskTimeoutError } from './task-timeout-error.js';

/** A task's failure as events and results carry it: plain JSON, with whether a retry may help. */
export function toEventError(error: unknown): EventError {
  if (ProviderError.isInstance(error)) {
    const out: EventError = {
      name: error.name,
      message: error.message,
      retryable: error.retryable,
    };
    if (error.status !== undefined) out.status = error.status;
    return out;
  }
  if (error instanceof Error) {
    const out: EventError = { name: error.name, message: error.message };
    if (TaskTimeoutError.isInstance(error)) out.retryable = true;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

/** Whether a failed attempt may be retried, and after how long the provider asked to wait. */
export function isRetryable(error: unknown): {
  retryable: boolean;
  retryAfterMs: number | undefined;
} {
  if (ProviderError.isInstance(error)) {
    return { retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  }
  return { retryable: TaskTimeoutError.isInstance(error), retryAfterMs: undefined };
}
