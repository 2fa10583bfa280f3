import type { RunEvent } from '@multi-context/events';
import { JournalWriteError } from '@multi-context/journal';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { attachRedisJournal, RedisJournalWriteError, readRedisJournal } from '../src/index.js';
import {
  freshPrefix,
  longRun,
  recordingOrchestrator,
  rejectionOf,
  tempDir,
  waitFor,
  watched,
} from './helpers.js';

// Redis stopped (SIGTERM) and started again on the same port with the same
// append-only file, in the middle of a run's journal.

const servers: TestRedis[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function persistentRedis(dir: string, port?: number): Promise<TestRedis> {
  const server = await startRedisServer({ dir, appendOnly: true, ...(port && { port }) });
  servers.push(server);
  return server;
}

const taskEnds = (events: RunEvent[]) => events.filter((event) => event.type === 'task:end').length;

describe('a Redis journal when Redis goes away', () => {
  it('loses nothing when Redis restarts mid-run with its append-only file', async () => {
    const dir = await tempDir();
    const first = await persistentRedis(dir);
    const prefix = freshPrefix();
    const { orchestrator } = recordingOrchestrator(15);
    const { run, live } = watched(orchestrator.run(longRun(30)));
    const writer = attachRedisJournal(run, { redis: first.url, prefix });
    await waitFor('five task ends', () => taskEnds(live) >= 5);
    await first.stop();
    // Down for a while: the run goes on, and its events wait for Redis.
    await waitFor('five more task ends', () => taskEnds(live) >= 10);
    const second = await persistentRedis(dir, first.port);
    const result = await run.result;
    await writer.done;
    expect(result.status).toBe('succeeded');
    const contents = await readRedisJournal(second.url, run.runId, { prefix });
    expect(contents.events).toEqual(live);
    expect(contents.ended).toBe(true);
  }, 20_000);

  it('fails with where, why and how far once Redis is gone longer than the limit; a resume finishes the run once it is back', async () => {
    const dir = await tempDir();
    const first = await persistentRedis(dir);
    const prefix = freshPrefix();
    const { orchestrator, calls } = recordingOrchestrator(15);
    const { run, live } = watched(orchestrator.run(longRun(30)));
    const writer = attachRedisJournal(run, {
      redis: `redis://:hunter2@127.0.0.1:${first.port}`,
      prefix,
      unreachableLimitMs: 400,
    });
    await waitFor('five task ends', () => taskEnds(live) >= 5);
    await first.stop();
    const stoppedAt = Date.now();
    const error = await rejectionOf(writer.done);
    const failedAfter = Date.now() - stoppedAt;
    expect(RedisJournalWriteError.isInstance(error)).toBe(true);
    expect(JournalWriteError.isInstance(error)).toBe(true);
    const failure = error as RedisJournalWriteError;
    expect(failure).toMatchObject({ code: 'io', unreachable: true });
    expect(failedAfter).toBeGreaterThanOrEqual(300);
    expect(failedAfter).toBeLessThan(3_000);
    expect(failure.message).toContain(
      `redis://127.0.0.1:${first.port} ${prefix}:{${run.runId}}:events`,
    );
    expect(failure.message).toContain('did not answer for 400 ms');
    expect(failure.message).toContain(`up to seq ${failure.writtenSeq}`);
    expect(failure.message).not.toContain('hunter2');
    expect(failure.writtenSeq).toBeGreaterThan(0);
    // The run itself went on without its journal.
    await run.result;
    const callsBefore = calls.length;

    // Redis is back: the journal holds what was acknowledged (and perhaps a little more that
    // Redis took before it stopped), in order.
    const second = await persistentRedis(dir, first.port);
    const recorded = await readRedisJournal(second.url, run.runId, { prefix });
    expect(recorded.ended).toBe(false);
    expect(recorded.events.length).toBeGreaterThanOrEqual(failure.writtenSeq + 1);
    expect(recorded.events).toEqual(live.slice(0, recorded.events.length));

    const resumed = orchestrator.resume(recorded.header.workflow, { events: recorded.events });
    const resumedWriter = attachRedisJournal(resumed, { redis: second.url, prefix, append: true });
    const result = await resumed.result;
    await resumedWriter.done;
    expect(result.status).toBe('succeeded');
    const final = await readRedisJournal(second.url, run.runId, { prefix });
    expect(final.result?.status).toBe('succeeded');
    // No task whose end the journal held was asked again.
    const journaledEnds = recorded.events.flatMap((event) =>
      event.type === 'task:end' ? [event.taskId] : [],
    );
    const askedAgain = calls.slice(callsBefore);
    for (const taskId of journaledEnds)
      expect(askedAgain).not.toContain(`Step ${taskId.slice('step'.length)}`);
    expect(askedAgain).toHaveLength(30 - journaledEnds.length);
  }, 20_000);
});
