import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisLocation, redisTarget } from './redis-connection.js';

describe('redisTarget', () => {
  it('takes the user and password out of a URL, and keeps the database', () => {
    expect(redisTarget('redis://admin:hunter2@cache.internal:6380')).toBe(
      'redis://cache.internal:6380',
    );
    expect(redisTarget('rediss://:hunter2@cache.internal:6380/2')).toBe(
      'rediss://cache.internal:6380/2',
    );
    expect(redisTarget('not a url')).toBe('(an invalid Redis URL)');
  });

  it("names a client's host, port and database, never its password", () => {
    const client = new Redis({
      host: '10.0.0.7',
      port: 7000,
      db: 3,
      password: 'hunter2',
      lazyConnect: true,
    });
    expect(redisTarget(client)).toBe('redis://10.0.0.7:7000/3');
    expect(redisLocation(client, 'k')).toBe('redis://10.0.0.7:7000/3 k');
    client.disconnect();
  });
});
