/** The key prefix of every journal key when none is given. */
export const DEFAULT_REDIS_JOURNAL_PREFIX = 'multi-context:journal';

/** The Redis keys of one run's journal. */
export interface RedisJournalKeys {
  /** A string: the journal's header, as the JSON line a file journal starts with. */
  header: string;
  /** A stream: every event of the run, in order, the event of `seq` n with the id `0-<n + 1>`. */
  events: string;
  /** A sorted set of the run ids of every journal under the prefix, scored by creation time. */
  runs: string;
}

/**
 * The keys of run `runId`'s journal under `prefix`. The run id is in braces,
 * a Redis Cluster hash tag, so a run's header and stream live on one node.
 */
export function redisJournalKeys(
  runId: string,
  prefix: string = DEFAULT_REDIS_JOURNAL_PREFIX,
): RedisJournalKeys {
  return {
    header: `${prefix}:{${runId}}:header`,
    events: `${prefix}:{${runId}}:events`,
    runs: `${prefix}:runs`,
  };
}

/** The stream id of the event of `seq`: explicit, so writing the same event twice is refused, never doubled. */
export function streamIdOf(seq: number): string {
  return `0-${seq + 1}`;
}
