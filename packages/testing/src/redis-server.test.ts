import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
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

  it('keeps what was written across a restart on the same port with appendOnly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-redis-'));
    try {
      const first = await startRedisServer({ dir, appendOnly: true });
      const client = new Redis(first.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      await client.set('kept', 'yes');
      client.disconnect();
      await first.stop();
      const second = await startRedisServer({ port: first.port, dir, appendOnly: true });
      const again = new Redis(second.url);
      expect(await again.get('kept')).toBe('yes');
      again.disconnect();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
