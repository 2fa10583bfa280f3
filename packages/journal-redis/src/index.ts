export { attachRedisJournal } from './attach-redis-journal.js';
export { checkRedisJournal } from './check-redis-journal.js';
export { deleteRedisJournal } from './delete-redis-journal.js';
export { listRedisJournalRunIds, listRedisJournals } from './list-redis-journals.js';
export { type RedisJournalKeyOptions, readRedisJournal } from './read-redis-journal.js';
export { type RedisJournalConnection, redisTarget } from './redis-connection.js';
export {
  DEFAULT_REDIS_JOURNAL_PREFIX,
  type RedisJournalKeys,
  redisJournalKeys,
} from './redis-journal-keys.js';
export { RedisJournalUnreachableError } from './redis-journal-unreachable-error.js';
export {
  RedisJournalWriteError,
  type RedisJournalWriteErrorOptions,
} from './redis-journal-write-error.js';
export type { AttachRedisJournalOptions, RedisJournalWriter } from './redis-journal-writer.js';
export { type ReplayRedisJournalOptions, replayRedisJournal } from './replay-redis-journal.js';
