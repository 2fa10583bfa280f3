import type { ProviderRequest } from '@multi-context/provider';
import type { MockFailure, MockProviderOptions } from './mock-provider-options.js';

/** {@link MockProviderOptions} with defaults filled in and values checked. */
export interface ResolvedMockOptions {
  id: string;
  reply: ((request: ProviderRequest) => string | Promise<string>) | undefined;
  stream: boolean;
  chunkSize: number;
  chunkDelayMs: number;
  latencyMs: readonly [min: number, max: number];
  seed: number;
  failureRate: number;
  failContexts: ReadonlySet<string>;
  failTasks: ReadonlySet<string>;
  failTimes: number | undefined;
  failAfterChunks: number;
  failure: MockFailure;
}

/**
 * Fills in defaults and rejects values that cannot mean anything, so that a
 * typo in a test's options fails at once rather than silently never firing.
 */
export function resolveOptions(options: MockProviderOptions): ResolvedMockOptions {
  const latency = options.latencyMs ?? 0;
  const latencyMs: readonly [number, number] =
    typeof latency === 'number' ? [latency, latency] : [latency[0], latency[1]];
  nonNegative('latencyMs', latencyMs[0]);
  nonNegative('latencyMs', latencyMs[1]);
  if (latencyMs[0] > latencyMs[1]) {
    throw new RangeError(`latencyMs [min, max] needs min <= max, got [${latencyMs.join(', ')}].`);
  }

  const failureRate = options.failureRate ?? 0;
  if (!(failureRate >= 0 && failureRate <= 1)) {
    throw new RangeError(`failureRate must be between 0 and 1, got ${failureRate}.`);
  }

  const chunkSize = options.chunkSize ?? 3;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a whole number of at least 1, got ${chunkSize}.`);
  }

  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}.`);

  if (options.failTimes !== undefined) wholeNumber('failTimes', options.failTimes);
  const failAfterChunks = options.failAfterChunks ?? 0;
  wholeNumber('failAfterChunks', failAfterChunks);

  return {
    id: options.id ?? 'mock',
    reply: options.reply,
    stream: options.stream ?? true,
    chunkSize,
    chunkDelayMs: nonNegative('chunkDelayMs', options.chunkDelayMs ?? 0),
    latencyMs,
    seed,
    failureRate,
    failContexts: new Set(options.failContexts),
    failTasks: new Set(options.failTasks),
    failTimes: options.failTimes,
    failAfterChunks,
    failure: { ...options.failure },
  };
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}.`);
  }
  return value;
}

function wholeNumber(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number >= 0, got ${value}.`);
  }
  return value;
}
