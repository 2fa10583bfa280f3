/** Where a queue's BullMQ keys live, and the names of the few keys of our own beside them. */
export interface QueueAddress {
  /** The BullMQ key prefix. */
  prefix: string;
  queueName: string;
}

/** The queue name used when none is given. */
export const DEFAULT_QUEUE_NAME = 'multi-context-attempts';

/** BullMQ's own default prefix, so `bullmq`'s tools see our queue where they look. */
export const DEFAULT_PREFIX = 'bull';

/** The stream one coordinator reads its jobs' events from. */
export function replyStreamKey(address: QueueAddress, coordinatorId: string): string {
  return `${address.prefix}:${address.queueName}:mc:replies:${coordinatorId}`;
}

/** The channel every worker of the queue listens on for cancels. */
export function cancelChannel(address: QueueAddress): string {
  return `${address.prefix}:${address.queueName}:mc:cancel`;
}

/**
 * A cancel's marker, for the worker that takes the job just after the cancel
 * was published (and so missed the message) and could not be removed.
 */
export function cancelMarkerKey(address: QueueAddress, jobId: string): string {
  return `${address.prefix}:${address.queueName}:mc:cancelled:${jobId}`;
}
