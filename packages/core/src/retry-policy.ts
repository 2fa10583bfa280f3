/** How a task retries a retryable failure. Every field has a documented default. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts at most). Default 2. */
  retries: number;
  /** Delay before the first retry, before jitter. Default 500 ms. */
  initialDelayMs: number;
  /** Growth of the delay per retry. Default 2. */
  factor: number;
  /** Upper bound of a computed delay. Default 30 s. */
  maxDelayMs: number;
  /** Upper bound of a delay asked for by the server (`retry-after`). Default 60 s. */
  maxRetryAfterMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 2,
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
});

/**
 * The wait before attempt `attempt + 1`, after attempt `attempt` failed.
 *
 * Exponential backoff with "equal jitter": half the computed delay is kept and
 * half is random, so a burst of failures spreads out without ever retrying at
 * once. A server's `retry-after` wins over the computation, up to a cap.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
