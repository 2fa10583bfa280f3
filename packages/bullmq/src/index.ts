export { ATTEMPT_JOB_FORMAT, ATTEMPT_JOB_VERSION, type AttemptJobData } from './attempt-job.js';
export {
  type BullMQExecutor,
  type BullMQExecutorOptions,
  createBullMQExecutor,
} from './bullmq-executor.js';
export {
  type BullMQWorker,
  type BullMQWorkerOptions,
  createBullMQWorker,
  type WorkerCall,
  type WorkerCallObserver,
  type WorkerJobReport,
} from './bullmq-worker.js';
export { checkRedis, redisTarget } from './check-redis.js';
export { ExecutorClosedError } from './executor-closed-error.js';
export { InvalidAttemptJobError } from './invalid-attempt-job-error.js';
export type { RedisConnection } from './redis-connection.js';
export { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME } from './redis-keys.js';
export { RedisUnreachableError } from './redis-unreachable-error.js';
export { RemoteAttemptError } from './remote-attempt-error.js';
