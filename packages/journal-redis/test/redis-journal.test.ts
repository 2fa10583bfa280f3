import {
  attachJournal,
  JournalReadError,
  JournalWriteError,
  listJournals,
  readJournal,
} from '@multi-context/journal';
import { freePort, startRedisServer, type TestRedis } from '@multi-context/testing';
import { Redis } from 'ioredis';
import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachRedisJournal,
  checkRedisJournal,
  deleteRedisJournal,
  listRedisJournalRunIds,
  listRedisJournals,
  RedisJournalUnreachableError,
  RedisJournalWriteError,
  readRedisJournal,
  redisJournalKeys,
  replayRedisJournal,
} from '../src/index.js';
import {
  freshPrefix,
  handFed,
  pipeline,
  recordingOrchestrator,
  rejectionOf,
  tempDir,
  watched,
} from './helpers.js';

let redis: TestRedis;
/** A client of the tests' own, to look at and tamper with what the journal wrote. */
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

/** A run of the pipeline journaled both to a file and to Redis. */
async function journaledTwice(prefix: string) {
  const { orchestrator } = recordingOrchestrator();
  const dir = await tempDir();
  const { run, live } = watched(orchestrator.run(pipeline()));
  const file = attachJournal(run, { dir });
  const inRedis = attachRedisJournal(run, { redis: redis.url, prefix });
  await run.result;
  await Promise.all([file.done, inRedis.done]);
  return { run, live, file, inRedis };
}

describe('attachRedisJournal and readRedisJournal', () => {
  it('hold what a file journal holds: the same header, events and result', async () => {
    const prefix = freshPrefix();
    const { run, live, file, inRedis } = await journaledTwice(prefix);
    const fromFile = await readJournal(file.path);
    const fromRedis = await readRedisJournal(redis.url, run.runId, { prefix });
    const { events } = redisJournalKeys(run.runId, prefix);
    expect(fromRedis.path).toBe(`${redis.url} ${events}`);
    expect(inRedis.location).toBe(fromRedis.path);
    // The two headers were made a moment apart: all else is equal.
    expect({
      ...fromRedis,
      path: file.path,
      header: { ...fromRedis.header, createdAt: fromFile.header.createdAt },
    }).toEqual(fromFile);
    expect(fromRedis.events).toEqual(live);
    expect(fromRedis.ended).toBe(true);
    // One stream entry per event, with the event's seq in its id.
    const entries = await client.xrange(events, '-', '+');
    expect(entries.map(([id]) => id)).toEqual(live.map((event) => `0-${event.seq + 1}`));
  });

  it('reads the same through a client it is given, which it leaves open', async () => {
    const prefix = freshPrefix();
    const { run } = await journaledTwice(prefix);
    const given = new Redis(redis.url);
    try {
      const contents = await readRedisJournal(given, run.runId, { prefix });
      expect(contents.path).toBe(`${redis.url} ${redisJournalKeys(run.runId, prefix).events}`);
      expect(await given.ping()).toBe('PONG');
    } finally {
      given.disconnect();
    }
  });

  it('takes an event Redis already holds as written (a write sent again after a reconnect)', async () => {
    const prefix = freshPrefix();
    const { run, live } = await journaledTwice(freshPrefix());
    const fed = handFed(run.runId, run.workflow);
    const writer = attachRedisJournal(fed, { redis: redis.url, prefix });
    const { events } = redisJournalKeys(run.runId, prefix);
    await writer.flush(); // the header is written
    for (const event of live) {
      // Every third event reached Redis before the writer sends it, as a write the writer sent
      // whose answer was lost does: its XADD is refused as a duplicate id.
      if (event.seq % 3 === 0) {
        await writer.flush();
        await client.xadd(events, `0-${event.seq + 1}`, 'event', JSON.stringify(event));
      }
      fed.events$.next(event);
      if (event.seq % 2 === 0) await writer.flush();
    }
    fed.events$.complete();
    await writer.done;
    expect((await readRedisJournal(redis.url, run.runId, { prefix })).events).toEqual(live);
    expect(await client.xlen(events)).toBe(live.length);
  });

  it('refuses a duplicate id that holds another event: another writer is at work', async () => {
    const prefix = freshPrefix();
    const { run, live } = await journaledTwice(freshPrefix());
    const fed = handFed(run.runId, run.workflow);
    const writer = attachRedisJournal(fed, { redis: redis.url, prefix });
    await writer.flush();
    fed.events$.next(live[0]!);
    await writer.flush();
    const other = { ...live[1]!, time: live[1]!.time + 1 };
    await client.xadd(
      redisJournalKeys(run.runId, prefix).events,
      '0-2',
      'event',
      JSON.stringify(other),
    );
    fed.events$.next(live[1]!);
    const error = await rejectionOf(writer.done);
    expect(RedisJournalWriteError.isInstance(error)).toBe(true);
    expect(JournalWriteError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'out-of-order', writtenSeq: 0 });
    expect(error.message).toContain('another process writes');
  });

  it('appends a resumed session, and refuses a second journal and an append to an ended run', async () => {
    const prefix = freshPrefix();
    const { run, live } = await journaledTwice(prefix);
    const again = attachRedisJournal(handFed(run.runId, run.workflow), {
      redis: redis.url,
      prefix,
    });
    expect(await rejectionOf(again.done)).toMatchObject({ code: 'journal-exists' });
    const ended = attachRedisJournal(handFed(run.runId, run.workflow), {
      redis: redis.url,
      prefix,
      append: true,
    });
    const error = await rejectionOf(ended.done);
    expect(error).toMatchObject({ code: 'run-ended', writtenSeq: live.at(-1)!.seq });
    expect(error.message).toContain(`${redis.url} ${redisJournalKeys(run.runId, prefix).events}`);
    const missing = attachRedisJournal(handFed('nobody', run.workflow), {
      redis: redis.url,
      prefix,
      append: true,
    });
    expect(await rejectionOf(missing.done)).toMatchObject({ code: 'journal-missing' });
  });

  it('continues a journal whose run stopped: a resume appends from the next seq', async () => {
    const prefix = freshPrefix();
    const { orchestrator, calls } = recordingOrchestrator();
    const { run, live } = await journaledTwice(freshPrefix());
    // The first session's journal stops after the first task's end.
    const cut = live.findIndex((event) => event.type === 'task:end') + 1;
    const first = handFed(run.runId, run.workflow);
    const firstWriter = attachRedisJournal(first, { redis: redis.url, prefix });
    for (const event of live.slice(0, cut)) first.events$.next(event);
    first.events$.complete();
    await firstWriter.done;

    const recorded = await readRedisJournal(redis.url, run.runId, { prefix });
    expect(recorded.ended).toBe(false);
    const resumed = orchestrator.resume(recorded.header.workflow, { events: recorded.events });
    const writer = attachRedisJournal(resumed, { redis: redis.url, prefix, append: true });
    const result = await resumed.result;
    await writer.done;
    const final = await readRedisJournal(redis.url, run.runId, { prefix });
    expect(final.events[cut]).toMatchObject({ type: 'run:resume', seq: cut });
    expect(final.result).toEqual(result);
    expect(result.phases[0]!.results.map((task) => task.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    // The task whose end was journaled was not asked again.
    const endedFirst = live[cut - 1] as { taskId: string };
    const prompt = endedFirst.taskId === 'market' ? 'Trends?' : 'Approaches? ✓ ünïcödé';
    expect(calls).not.toContain(prompt);
    expect(calls).toHaveLength(3);
  });

  it('says where and why it cannot read', async () => {
    const prefix = freshPrefix();
    const missing = await rejectionOf(readRedisJournal(redis.url, 'no-such-run', { prefix }));
    expect(JournalReadError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'missing-header' });
    expect(missing.message).toContain(`${redis.url} ${prefix}:{no-such-run}:header`);

    const { run } = await journaledTwice(prefix);
    const { events } = redisJournalKeys(run.runId, prefix);
    await client.xadd(events, '0-999', 'event', '{"torn":');
    const damaged = await rejectionOf(readRedisJournal(redis.url, run.runId, { prefix }));
    expect(damaged).toMatchObject({ code: 'corrupt-record', path: `${redis.url} ${events}` });

    const port = await freePort();
    const gone = await rejectionOf(
      readRedisJournal(`redis://:hunter2@127.0.0.1:${port}`, run.runId, { prefix }),
    );
    expect(RedisJournalUnreachableError.isInstance(gone)).toBe(true);
    expect(gone.message).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(gone.message).not.toContain('hunter2');
    const check = await rejectionOf(checkRedisJournal(`redis://:hunter2@127.0.0.1:${port}`, 1_000));
    expect(check.message).toMatch(
      new RegExp(`redis://127.0.0.1:${port} is unreachable: .*ECONNREFUSED`),
    );
    await expect(checkRedisJournal(redis.url)).resolves.toBeUndefined();
  });
});

describe('listRedisJournals', () => {
  it('lists runs newest first as listJournals does, with the damaged ones apart', async () => {
    const prefix = freshPrefix();
    const dir = await tempDir();
    const { orchestrator } = recordingOrchestrator();
    const runIds: string[] = [];
    for (const name of ['First', 'Second']) {
      const run = orchestrator.run(pipeline(name));
      const file = attachJournal(run, { dir });
      const inRedis = attachRedisJournal(run, { redis: redis.url, prefix });
      await run.result;
      await Promise.all([file.done, inRedis.done]);
      runIds.push(run.runId);
    }
    // An incomplete run: its journal holds run:start only.
    const { run: third, live } = await journaledTwice(freshPrefix());
    const fed = handFed(third.runId, third.workflow);
    const writer = attachRedisJournal(fed, { redis: redis.url, prefix });
    fed.events$.next(live[0]!);
    fed.events$.complete();
    await writer.done;

    const listing = await listRedisJournals(redis.url, { prefix });
    const files = await listJournals({ dir });
    expect(listing.unreadable).toEqual([]);
    const byId = new Map(listing.runs.map((run) => [run.runId, run]));
    for (const summary of files.runs) {
      expect({ ...byId.get(summary.runId), path: summary.path }).toEqual(summary);
    }
    expect(byId.get(third.runId)).toMatchObject({ status: 'incomplete', succeeded: 0 });
    const times = listing.runs.map((run) => run.startedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await listRedisJournalRunIds(redis.url, { prefix })).sort()).toEqual(
      [...runIds, third.runId].sort(),
    );

    await client.set(redisJournalKeys(runIds[0]!, prefix).header, '{"kind":"other"}');
    await deleteRedisJournal(redis.url, runIds[1]!, { prefix });
    const after = await listRedisJournals(redis.url, { prefix });
    expect(after.runs.map((run) => run.runId)).toEqual([third.runId]);
    expect(after.unreadable).toHaveLength(1);
    expect(after.unreadable[0]).toMatchObject({ code: 'invalid-header' });
    expect(after.unreadable[0]!.message).toContain(redisJournalKeys(runIds[0]!, prefix).events);
  });
});

describe('replayRedisJournal', () => {
  it('replays a recorded run, and follows one from before it starts until its run:end', async () => {
    const prefix = freshPrefix();
    const { orchestrator } = recordingOrchestrator(20);
    const runId = 'followed-run';
    const followed = firstValueFrom(
      replayRedisJournal(redis.url, runId, { prefix, follow: true, blockMs: 200 }).pipe(toArray()),
    );
    // The follow is waiting for a journal that does not exist yet.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const { run, live } = watched(orchestrator.run(pipeline(), { runId }));
    const writer = attachRedisJournal(run, { redis: redis.url, prefix });
    await run.result;
    await writer.done;
    expect(await followed).toEqual(live);
    const replayed = await firstValueFrom(
      replayRedisJournal(redis.url, run.runId, { prefix }).pipe(toArray()),
    );
    expect(replayed).toEqual(live);
  });

  it('stops following when unsubscribed, and reports a missing journal when not following', async () => {
    const prefix = freshPrefix();
    let completed = false;
    const subscription = replayRedisJournal(redis.url, 'never', { prefix, follow: true }).subscribe(
      {
        complete: () => {
          completed = true;
        },
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.unsubscribe();
    expect(completed).toBe(false);
    const error = await rejectionOf(
      firstValueFrom(replayRedisJournal(redis.url, 'never', { prefix })),
    );
    expect(error).toMatchObject({ code: 'missing-header' });
  });
});
