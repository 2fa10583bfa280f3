import type { ProviderRequest } from '@multi-context/provider';
import type { ResolvedMockOptions } from './resolve-options.js';
import { drawFor } from './seeded-random.js';

/** This call's delay before its first piece: the fixed `latencyMs`, or a draw from `[min, max]`. */
export function latencyFor(
  options: ResolvedMockOptions,
  request: ProviderRequest,
  attempt: number,
): number {
  const [min, max] = options.latencyMs;
  if (min === max) return min;
  const key = `latency\u0000${request.contextName}\u0000${request.taskId}\u0000${attempt}`;
  return Math.min(max, min + Math.floor(drawFor(options.seed, key) * (max - min + 1)));
}
