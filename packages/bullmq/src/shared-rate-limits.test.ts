import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimits } from './shared-rate-limits.js';

let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
}, 30_000);

afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const address = (queueName: string) => ({ prefix: 'bull', queueName });

describe('SharedRateLimits', () => {
  it('counts the starts of a provider in its window, whichever worker asks', async () => {
    const limits = { p: { requests: 2, perMs: 60_000 } };
    const one = new SharedRateLimits(client, address('q1'), limits);
    const two = new SharedRateLimits(client, address('q1'), limits);
    expect(await one.take('p', 'm1')).toBe(0);
    expect(await two.take('p', 'm2')).toBe(0);
    // The third start waits about a window: the oldest start leaves it then.
    const wait = await one.take('p', 'm1');
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_001);
    // A provider without a limit, and another queue, are not held.
    expect(await one.take('other', 'm1')).toBe(0);
    expect(await new SharedRateLimits(client, address('q2'), limits).take('p', 'm1')).toBe(0);
  });

  it('keeps one window per model with by: model', async () => {
    const limits = { p: { requests: 1, perMs: 60_000, by: 'model' as const } };
    const limiter = new SharedRateLimits(client, address('q3'), limits);
    expect(await limiter.take('p', 'm1')).toBe(0);
    expect(await limiter.take('p', 'm2')).toBe(0);
    expect(await limiter.take('p', 'm1')).toBeGreaterThan(0);
  });

  it('lets a start in once the window has passed', async () => {
    const limiter = new SharedRateLimits(client, address('q4'), { p: { requests: 1, perMs: 200 } });
    expect(await limiter.take('p', undefined)).toBe(0);
    const wait = await limiter.take('p', undefined);
    expect(wait).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, wait));
    expect(await limiter.take('p', undefined)).toBe(0);
  });

  it('holds every start of a paused provider, and a shorter pause never cuts a longer one', async () => {
    const limiter = new SharedRateLimits(client, address('q5'), {});
    await limiter.pause('p', 'm', 5_000, '429');
    await limiter.pause('p', 'm', 100, '429 again');
    const wait = await limiter.take('p', 'm');
    expect(wait).toBeGreaterThan(4_000);
    expect(await limiter.take('q', 'm')).toBe(0);
  });
});
