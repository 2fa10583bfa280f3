import { isRetryableStatus, ProviderError, parseRetryAfter } from './provider-error.js';
import { mentionsSecret, redactSecrets } from './secrets.js';

/** What an error mapping needs to know about the call that failed. */
export interface ProviderErrorContext {
  /** The provider id: the prefix of every message, and the error's `providerId`. */
  providerId: string;
  /** Values that must never appear in a message (API keys); `undefined` entries are skipped. */
  secrets: readonly (string | undefined)[];
}

/** How a failure behaves: whether a retry may cure it, and what the server said. */
export interface RedactedProviderErrorOptions {
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  /** The original error; dropped when a secret appears anywhere in it. */
  cause?: unknown;
}

/**
 * A {@link ProviderError} whose message reads `<providerId>: <message>` with
 * every secret replaced by `[redacted]`. The `cause` is kept only when no
 * secret appears anywhere in it (message, body, headers, nested causes): a
 * server that echoes the key back must not leak it through the error chain.
 *
 * @example
 * const context = { providerId: 'my-api', secrets: [apiKey] };
 * throw redactedProviderError(context, `the server said: ${body}`, { retryable: false, cause: error });
 */
export function redactedProviderError(
  context: ProviderErrorContext,
  message: string,
  options: RedactedProviderErrorOptions,
): ProviderError {
  const { providerId, secrets } = context;
  const { cause, ...rest } = options;
  return new ProviderError({
    message: redactSecrets(`${providerId}: ${message}`, secrets),
    providerId,
    ...rest,
    cause: mentionsSecret(cause, secrets) ? undefined : cause,
  });
}

/**
 * The {@link redactedProviderError} for an HTTP error answer: the message reads
 * `<providerId>: HTTP <status>: <detail>`, `retryable` follows
 * {@link isRetryableStatus} and `retryAfterMs` is read from the headers with
 * {@link parseRetryAfter}.
 *
 * @example
 * if (!response.ok) {
 *   throw httpProviderError(context, response.status, await response.text(), response.headers);
 * }
 */
export function httpProviderError(
  context: ProviderErrorContext,
  status: number,
  detail: string,
  headers?: Parameters<typeof parseRetryAfter>[0],
  cause?: unknown,
): ProviderError {
  return redactedProviderError(context, `HTTP ${status}: ${detail}`, {
    status,
    retryable: isRetryableStatus(status),
    retryAfterMs: headers === undefined ? undefined : parseRetryAfter(headers),
    cause,
  });
}
