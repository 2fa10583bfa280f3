import type { BullMQExecutor, BullMQExecutorOptions } from '@multi-context/bullmq';
import { ExitCode } from '../options/exit-codes.js';
import { DEFAULT_REDIS_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS } from '../options/redis-options.js';
import { CommandFailure } from './command-failure.js';

/**
 * Checks that Redis answers (within {@link REDIS_CONNECT_TIMEOUT_MS}) and
 * throws a {@link CommandFailure} with exit code 2 when it does not: the
 * BullMQ clients themselves wait for Redis forever, so without this check a
 * wrong address would be a run or a worker that hangs. `@multi-context/bullmq`
 * (and so bullmq and ioredis) is loaded here, only for a command given `--redis`.
 */
export async function reachRedis(url: string): Promise<typeof import('@multi-context/bullmq')> {
  const bullmq = await import('@multi-context/bullmq');
  try {
    await bullmq.checkRedis(url, REDIS_CONNECT_TIMEOUT_MS);
  } catch (error) {
    if (bullmq.RedisUnreachableError.isInstance(error))
      throw new CommandFailure(
        `${error.message} (is redis-server running there? checked for ${REDIS_CONNECT_TIMEOUT_MS / 1000} s)`,
        ExitCode.usage,
      );
    throw error;
  }
  return bullmq;
}

/** A `run --redis`'s executor, and the line that tells the user where its calls go. */
export interface RedisExecutor {
  executor: BullMQExecutor;
  description: string;
  /** The Redis URL with any password taken out, for messages. */
  target: string;
}

/**
 * The executor of a `run --redis` (or `resume --redis`): every provider call
 * of the run becomes a job on the queue, made by `multi-context worker`s
 * (with the trace context of its attempt, when the run is traced).
 * Its `signal` aborts once Redis has been gone for `timeoutMs` in the middle
 * of the run. Throws, before any call, when Redis does not answer.
 */
export async function openRedisExecutor(
  url: string,
  queue?: string,
  timeoutMs = DEFAULT_REDIS_TIMEOUT_MS,
  traceContext?: BullMQExecutorOptions['traceContext'],
): Promise<RedisExecutor> {
  const { createBullMQExecutor, redisTarget, DEFAULT_QUEUE_NAME } = await reachRedis(url);
  const queueName = queue ?? DEFAULT_QUEUE_NAME;
  return {
    executor: createBullMQExecutor({
      connection: url,
      queueName,
      unreachableLimitMs: timeoutMs,
      // A traced run sends each attempt's trace context, so the workers' spans join its trace.
      ...(traceContext !== undefined && { traceContext }),
    }),
    description: `provider calls go to the workers of queue ${queueName} at ${redisTarget(url)}`,
    target: redisTarget(url),
  };
}
