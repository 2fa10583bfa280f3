import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplyMessage } from './reply-message.js';
import { ReplyPublisher } from './reply-publisher.js';
import { ReplyReader } from './reply-reader.js';
import { StreamExpiry } from './stream-expiry.js';

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

const delta = (text: string) => ({ type: 'text-delta' as const, text });

describe('ReplyPublisher', () => {
  it("sends a turn's messages as one stream entry, and the reader gets each in order", async () => {
    const publisher = new ReplyPublisher(client, new StreamExpiry(), 's1', 'j1', 'w1', 't1');
    publisher.event(delta('a'));
    await publisher.flushed();
    // The last piece and the end, written in one turn.
    publisher.event(delta('b'));
    publisher.complete();
    await publisher.flushed();

    const entries = await client.xrange('s1', '-', '+');
    expect(entries.map(([, fields]) => fields.length / 2)).toEqual([1, 2]);

    const texts: string[] = [];
    let wanted = true;
    const reader = new ReplyReader(
      client.duplicate(),
      client,
      's1',
      () => wanted,
      (text) => {
        texts.push(text);
        if (texts.length === 3) wanted = false;
      },
    );
    reader.wake();
    await expect.poll(() => texts.length, { timeout: 3000 }).toBe(3);
    await reader.close();
    const messages = texts.map(parseReplyMessage);
    expect(messages.map((message) => [message?.seq, message?.kind])).toEqual([
      [0, 'event'],
      [1, 'event'],
      [2, 'complete'],
    ]);
    expect(messages[1]).toMatchObject({ job: 'j1', worker: 'w1', token: 't1', event: delta('b') });
  });

  it("refreshes a stream's expiry with an answer's end, at most once a minute per stream", async () => {
    let now = 1_000_000;
    const expiry = new StreamExpiry(() => now);
    // `ttlBefore`: the stream's TTL before the answer, which a piece alone never changes.
    const answer = async (stream: string, job: string, ttlBefore: number) => {
      const publisher = new ReplyPublisher(client, expiry, stream, job, 'w1', job);
      publisher.event(delta('x'));
      await publisher.flushed();
      expect(await client.ttl(stream)).toBe(ttlBefore);
      publisher.complete();
      await publisher.flushed();
    };
    await answer('s2', 'j1', -1);
    expect(await client.ttl('s2')).toBeGreaterThan(86_000);
    // A second answer within the minute leaves the expiry as it is (set short here to see it).
    await client.expire('s2', 100);
    now += 59_000;
    await answer('s2', 'j2', 100);
    expect(await client.ttl('s2')).toBe(100);
    // Another stream has its own minute.
    await client.xadd('s3', '*', 'm', 'x');
    await client.expire('s3', 100);
    await answer('s3', 'j3', 100);
    expect(await client.ttl('s3')).toBeGreaterThan(86_000);
    // Past the minute, the next answer on the first stream refreshes it again.
    now += 1_000;
    await client.expire('s2', 100);
    await answer('s2', 'j4', 100);
    expect(await client.ttl('s2')).toBeGreaterThan(86_000);
  });
});
