import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_NOT_INSTALLED, startRedisServer } from './redis-server.js';

describe('startRedisServer', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('fails with how to install redis-server when it is not on PATH, never skips', async () => {
    process.env.PATH = '/nonexistent';
    await expect(startRedisServer()).rejects.toThrow(REDIS_NOT_INSTALLED);
  });
});
