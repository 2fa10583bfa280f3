import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueSignals } from './queue-signals.js';
import { SharedRateLimits } from './shared-rate-limits.js';

let redis: TestRedis;
let client: Redis;
const opened: Redis[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
}, 30_000);

afterAll(async () => {
  for (const connection of opened) connection.disconnect();
  client?.disconnect();
  await redis?.stop();
});

const address = (queueName: string) => ({ prefix: 'bull', queueName });

/** Signals on `queueName` for a worker whose one provider without a limit is `p`. */
function signalsOn(queueName: string, inFlight = new Map<string, AbortController>()) {
  const listener = new Redis(redis.url);
  const commands = new Redis(redis.url);
  opened.push(listener, commands);
  const pauseKey = new SharedRateLimits(commands, address(queueName), {}).pauseKey('p', undefined);
  return new QueueSignals(listener, commands, address(queueName), inFlight, [pauseKey]);
}

describe('QueueSignals', () => {
  it('counts a job as heard-of only when it was fetched after the subscription was on', async () => {
    const signals = signalsOn('q1');
    expect(signals.quiet(Date.now() + 1, 'k')).toBe(false);
    await signals.start();
    expect(signals.quiet(Date.now() + 1, 'k')).toBe(true);
    // Fetched before the worker listened: a cancel of it may have been missed.
    expect(signals.quiet(Date.now() - 60_000, 'k')).toBe(false);
  });

  it('hears a pause and holds its provider, not the others, until it has passed', async () => {
    const signals = signalsOn('q2');
    await signals.start();
    const limits = new SharedRateLimits(client, address('q2'), {});
    await limits.pause('p', undefined, 200, '429');
    const paused = limits.pauseKey('p', undefined);
    await expect.poll(() => signals.quiet(Date.now() + 1, paused)).toBe(false);
    expect(signals.quiet(Date.now() + 1, limits.pauseKey('other', undefined))).toBe(true);
    // The pause, plus a margin for the message's way: then calls start without asking again.
    await expect.poll(() => signals.quiet(Date.now() + 1, paused), { timeout: 3000 }).toBe(true);
  });

  it('finds a pause that was set before it listened', async () => {
    const limits = new SharedRateLimits(client, address('q3'), {});
    await limits.pause('p', undefined, 30_000, '429');
    const signals = signalsOn('q3');
    await signals.start();
    expect(signals.quiet(Date.now() + 1, limits.pauseKey('p', undefined))).toBe(false);
  });

  it('aborts a call in flight, and keeps a cancel for a job not started yet', async () => {
    const running = new AbortController();
    const inFlight = new Map([['running', running]]);
    const signals = signalsOn('q4', inFlight);
    await signals.start();
    await client.publish('bull:q4:mc:cancel', JSON.stringify({ job: 'running', reason: 'a' }));
    await client.publish('bull:q4:mc:cancel', JSON.stringify({ job: 'next', reason: 'b' }));
    await client.publish('bull:q4:mc:cancel', 'not json');
    await expect.poll(() => running.signal.aborted).toBe(true);
    expect((running.signal.reason as Error).message).toBe('a');
    await expect.poll(() => signals.takeHeard('next')).toBe('b');
    // Told once.
    expect(signals.takeHeard('next')).toBeUndefined();
  });

  it('after its listener reconnects, counts only the jobs fetched since, and looks up the markers of the calls in flight', async () => {
    const held = new AbortController();
    const signals = signalsOn('q5', new Map([['held', held]]));
    await signals.start();
    const beforeLoss = Date.now();
    await client.client('KILL', 'TYPE', 'pubsub');
    // Missed: the listener is away. The marker was written first, as the coordinator does.
    await client.set('bull:q5:mc:cancelled:held', 'gone', 'PX', 60_000);
    expect(
      await client.publish('bull:q5:mc:cancel', JSON.stringify({ job: 'held', reason: 'gone' })),
    ).toBe(0);
    await expect.poll(() => held.signal.aborted, { timeout: 3000 }).toBe(true);
    await expect.poll(() => signals.quiet(Date.now() + 1, 'k'), { timeout: 3000 }).toBe(true);
    expect(signals.quiet(beforeLoss + 1, 'k')).toBe(false);
  });
});
