import { describe, expect, it } from 'vitest';
import { redisJournalKeys, streamIdOf } from './redis-journal-keys.js';

describe('redisJournalKeys', () => {
  it("keeps a run's keys in one Redis Cluster slot, under the prefix", () => {
    expect(redisJournalKeys('r1')).toEqual({
      header: 'multi-context:journal:{r1}:header',
      events: 'multi-context:journal:{r1}:events',
      runs: 'multi-context:journal:runs',
    });
    expect(redisJournalKeys('r1', 'team-a').events).toBe('team-a:{r1}:events');
  });

  it('gives the event of seq n the stream id 0-(n + 1), above the 0-0 Redis refuses', () => {
    expect([0, 1, 41].map(streamIdOf)).toEqual(['0-1', '0-2', '0-42']);
  });
});
