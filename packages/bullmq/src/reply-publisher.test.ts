import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplyMessage } from './reply-message.js';
import { ReplyPublisher } from './reply-publisher.js';
import { ReplyReader } from './reply-reader.js';
import { ReplyWriter } from './reply-writer.js';
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

describe("ReplyPublisher, through the worker's ReplyWriter", () => {
  it("sends a turn's messages as one stream entry, and the reader gets each in order", async () => {
    const publisher = new ReplyPublisher(
      new ReplyWriter(client, new StreamExpiry()),
      's1',
      'j1',
      'w1',
      't1',
    );
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
    const writer = new ReplyWriter(client, new StreamExpiry(() => now));
    // `ttlBefore`: the stream's TTL before the answer, which a piece alone never changes.
    const answer = async (stream: string, job: string, ttlBefore: number) => {
      const publisher = new ReplyPublisher(writer, stream, job, 'w1', job);
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
  it('puts the messages of every job of a turn in one entry per stream, all in one write', async () => {
    const writer = new ReplyWriter(client, new StreamExpiry());
    const [a, b, c] = ['ja', 'jb', 'jc'].map(
      (job, i) => new ReplyPublisher(writer, i < 2 ? 's4' : 's5', job, 'w1', job),
    );
    a!.event(delta('a1'));
    b!.event(delta('b1'));
    c!.event(delta('c1'));
    a!.complete();
    b!.complete();
    c!.complete();
    await Promise.all([a!.flushed(), b!.flushed(), c!.flushed()]);

    const s4 = await client.xrange('s4', '-', '+');
    expect(s4).toHaveLength(1);
    const sent = s4[0]![1].filter((_, i) => i % 2 === 1).map(parseReplyMessage);
    // Each job's messages in the order it sent them, interleaved as they came.
    expect(sent.map((message) => [message?.job, message?.seq, message?.kind])).toEqual([
      ['ja', 0, 'event'],
      ['jb', 0, 'event'],
      ['ja', 1, 'complete'],
      ['jb', 1, 'complete'],
    ]);
    expect(await client.xlen('s5')).toBe(1);
  });

  it('fails only the jobs whose entry could not be written', async () => {
    const writer = new ReplyWriter(client, new StreamExpiry());
    // A key of the wrong type: XADD answers WRONGTYPE for it, in the middle of the pipeline.
    await client.set('s6', 'not a stream');
    const good = new ReplyPublisher(writer, 's7', 'jg', 'w1', 'jg');
    const bad = new ReplyPublisher(writer, 's6', 'jb', 'w1', 'jb');
    good.complete();
    bad.complete();
    await expect(bad.flushed()).rejects.toThrow(/WRONGTYPE/);
    await expect(good.flushed()).resolves.toBeUndefined();
    expect(await client.xlen('s7')).toBe(1);
  });

  it('splits a turn of more than 500 messages for one stream into entries of 500 at most, in order', async () => {
    const writer = new ReplyWriter(client, new StreamExpiry());
    const publisher = new ReplyPublisher(writer, 's8', 'j8', 'w1', 'j8');
    for (let i = 0; i < 1200; i++) publisher.event(delta(String(i)));
    publisher.complete();
    await publisher.flushed();
    const entries = await client.xrange('s8', '-', '+');
    expect(entries.map(([, fields]) => fields.length / 2)).toEqual([500, 500, 201]);
    const seqs = entries.flatMap(([, fields]) =>
      fields.filter((_, i) => i % 2 === 1).map((text) => parseReplyMessage(text)?.seq),
    );
    expect(seqs).toEqual(Array.from({ length: 1201 }, (_, i) => i));
  });
});
