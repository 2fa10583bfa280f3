import { MultiContextError } from '@multi-context/errors';
/** What a {@link ProviderError} is made from. */
export interface ProviderErrorOptions {
  message: string;
  /** Whether a retry may cure it: rate limits, overload, server errors, resets, timeouts. */
  retryable?: boolean;
  /** The HTTP status, when the failure came from an HTTP answer. */
  status?: number;
  /** How long the server asked us to wait before trying again. */
  retryAfterMs?: number;
  /** The id of the provider that failed. */
  providerId?: string;
  cause?: unknown;
}

/**
 * A failed provider call. Core retries it when `retryable` is true and fails
 * the task at once when it is false. Any other error thrown by a provider is
 * treated as not retryable.
 *
 * Recognise it with {@link ProviderError.isInstance}, which works across
 * copies of this package (an `instanceof` check does not).
 */
export class ProviderError extends MultiContextError {
  static override errorName = 'ProviderError';

  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly providerId: string | undefined;

  constructor(options: ProviderErrorOptions) {
    super(options.message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.providerId = options.providerId;
  }
}

/** A provider call that stopped because its signal was aborted (cancel, timeout). */
export class ProviderAbortError extends MultiContextError {
  static override errorName = 'ProviderAbortError';

  constructor(message = 'The provider call was aborted.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/** HTTP statuses that a retry may cure: timeout, conflict, rate limit and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Reads how long to wait from `retry-after-ms`, or `retry-after` in seconds or
 * as an HTTP date. Returns undefined when neither header is usable.
 */
export function parseRetryAfter(
  headers: { get(name: string): string | null | undefined } | Record<string, string | undefined>,
  now: number = Date.now(),
): number | undefined {
  const get = (name: string): string | undefined => {
    if (typeof (headers as { get?: unknown }).get === 'function') {
      return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
    }
    const record = headers as Record<string, string | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : record[key];
  };
  const ms = get('retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = get('retry-after');
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
