import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedis, RedisUnreachableError, redisTarget } from '../src/index.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

describe('checkRedis', () => {
  it('resolves when Redis answers', async () => {
    await expect(checkRedis(redis.url)).resolves.toBeUndefined();
  });

  it('fails at once with RedisUnreachableError, the password left out, when nothing listens', async () => {
    const closed = redis.port === 1 ? 2 : 1;
    const error = await checkRedis(`redis://:secret@127.0.0.1:${closed}`, 2_000).catch((e) => e);
    expect(RedisUnreachableError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`Redis at redis://127.0.0.1:${closed} is unreachable`);
    expect(error.message).not.toContain('secret');
  });

  it('redisTarget takes the user and password out of a URL', () => {
    expect(redisTarget('redis://me:pw@h:6380/2')).toBe('redis://h:6380/2');
  });
});
