import {
  isRetryableStatus,
  ProviderAbortError,
  ProviderError,
  parseRetryAfter,
} from '@multi-context/provider';
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import {
  describeNetworkError,
  isTransientNetworkError,
  mentionsSecret,
  redactSecrets,
} from './network-error.js';

/** What the error mapping needs to know about the call that failed. */
export interface ErrorContext {
  providerId: string;
  /** Values that must never appear in a message (the API key). */
  secrets: readonly (string | undefined)[];
}

/** Error `type`s or `code`s of an error sent inside a stream that a retry may cure. */
const RETRYABLE_STREAM_ERROR = /server_error|rate_limit|overloaded|timeout|unavailable/i;

/**
 * Maps whatever the OpenAI SDK, fetch or the stream parser threw onto a
 * {@link ProviderError} (or passes a {@link ProviderAbortError} through), with
 * `status`, `retryable` and `retryAfterMs` set and the API key kept out.
 */
export function toOpenAIProviderError(error: unknown, context: ErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderAbortError(undefined, { cause: error });

  const { providerId, secrets } = context;
  const make = (
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number },
  ) =>
    new ProviderError({
      message: redactSecrets(`${providerId}: ${message}`, secrets),
      providerId,
      ...options,
      cause: mentionsSecret(error, secrets) ? undefined : error,
    });

  if (error instanceof APIConnectionError) {
    const detail = error.cause === undefined ? error.message : describeNetworkError(error.cause);
    return make(`could not reach the server: ${detail}`, { retryable: true });
  }
  if (error instanceof APIError) {
    const body = error.error as { message?: unknown; type?: unknown; code?: unknown } | undefined;
    const detail = typeof body?.message === 'string' ? body.message : error.message;
    if (typeof error.status === 'number') {
      return make(`HTTP ${error.status}: ${detail}`, {
        status: error.status,
        retryable: isRetryableStatus(error.status),
        retryAfterMs: error.headers ? parseRetryAfter(error.headers) : undefined,
      });
    }
    const kind = [body?.type, body?.code].filter((part) => typeof part === 'string').join(' ');
    return make(`the server sent an error in the stream: ${detail}${kind ? ` (${kind})` : ''}`, {
      retryable: RETRYABLE_STREAM_ERROR.test(kind),
    });
  }
  if (error instanceof SyntaxError) {
    return make(`the server sent a malformed stream chunk: ${error.message}`, { retryable: false });
  }
  if (isTransientNetworkError(error)) {
    return make(`the connection failed: ${describeNetworkError(error)}`, { retryable: true });
  }
  return make(error instanceof Error ? error.message : String(error), { retryable: false });
}
