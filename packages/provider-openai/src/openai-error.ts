import {
  describeNetworkError,
  httpProviderError,
  isTransientNetworkError,
  ProviderAbortError,
  ProviderError,
  type ProviderErrorContext,
  redactedProviderError,
} from '@multi-context/provider';
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

/** Error `type`s or `code`s of an error sent inside a stream that a retry may cure. */
const RETRYABLE_STREAM_ERROR = /server_error|rate_limit|overloaded|timeout|unavailable/i;

/**
 * Maps whatever the OpenAI SDK, fetch or the stream parser threw onto a
 * {@link ProviderError} (or passes a {@link ProviderAbortError} through), with
 * `status`, `retryable` and `retryAfterMs` set and the API key kept out.
 */
export function toOpenAIProviderError(error: unknown, context: ProviderErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderAbortError(undefined, { cause: error });

  const make = (message: string, retryable: boolean) =>
    redactedProviderError(context, message, { retryable, cause: error });

  if (error instanceof APIConnectionError) {
    const detail = error.cause === undefined ? error.message : describeNetworkError(error.cause);
    return make(`could not reach the server: ${detail}`, true);
  }
  if (error instanceof APIError) {
    const body = error.error as { message?: unknown; type?: unknown; code?: unknown } | undefined;
    const detail = typeof body?.message === 'string' ? body.message : error.message;
    if (typeof error.status === 'number') {
      return httpProviderError(context, error.status, detail, error.headers, error);
    }
    const kind = [body?.type, body?.code].filter((part) => typeof part === 'string').join(' ');
    return make(
      `the server sent an error in the stream: ${detail}${kind ? ` (${kind})` : ''}`,
      RETRYABLE_STREAM_ERROR.test(kind),
    );
  }
  if (error instanceof SyntaxError) {
    return make(`the server sent a malformed stream chunk: ${error.message}`, false);
  }
  if (isTransientNetworkError(error)) {
    return make(`the connection failed: ${describeNetworkError(error)}`, true);
  }
  return make(error instanceof Error ? error.message : String(error), false);
}
