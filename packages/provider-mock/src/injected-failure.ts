import { isRetryableStatus, ProviderError, type ProviderRequest } from '@multi-context/provider';
import type { ResolvedMockOptions } from './resolve-options.js';
import { drawFor } from './seeded-random.js';

/**
 * Whether this attempt of this call fails. A call is picked by `failContexts`,
 * `failTasks` or a `failureRate` draw (or by `failTimes` alone when none of
 * those is set), and `failTimes` spares every attempt after the first N.
 */
export function isInjectedFailure(
  options: ResolvedMockOptions,
  request: ProviderRequest,
  attempt: number,
): boolean {
  if (options.failTimes !== undefined && attempt > options.failTimes) return false;
  if (options.failContexts.has(request.contextName) || options.failTasks.has(request.taskId)) {
    return true;
  }
  if (options.failureRate > 0) {
    const key = `failure\u0000${request.contextName}\u0000${request.taskId}\u0000${attempt}`;
    return drawFor(options.seed, key) < options.failureRate;
  }
  const anySelector = options.failContexts.size > 0 || options.failTasks.size > 0;
  return options.failTimes !== undefined && !anySelector;
}

/** The `ProviderError` an injected failure fails with, as `options.failure` describes it. */
export function createInjectedFailure(
  options: ResolvedMockOptions,
  request: ProviderRequest,
  attempt: number,
): ProviderError {
  const { failure } = options;
  const status = failure.status ?? 500;
  return new ProviderError({
    message:
      failure.message ??
      `Injected failure: mock provider "${options.id}" answered ${status} for task "${request.taskId}" in context "${request.contextName}" (attempt ${attempt}).`,
    status,
    retryable: failure.retryable ?? isRetryableStatus(status),
    retryAfterMs: failure.retryAfterMs,
    providerId: options.id,
  });
}
