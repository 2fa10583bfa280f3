import { existsSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { readRedisJournal } from '@multi-context/journal-redis';
import { freePort, startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRoot, runCli, startCli } from './cli-process.js';
import { defaultJournal, waitFor, within } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

const PIPELINE = resolve(cliRoot, '../../examples/pipeline/workflow.yaml');
const TOPIC = ['--input', 'topic=tide tables'];

const space: Workspace = workspace();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  space.remove();
}, 30_000);

/** A `multi-context worker` on `url`, stopped with Ctrl-C after the tests. */
async function startWorker(url: string): Promise<string[]> {
  const worker = startCli(['worker', '--redis', url, '--verbose', '--mock-delay', '40']);
  const lines: string[] = [];
  worker.onLine((line) => lines.push(line));
  closers.push(async () => {
    worker.child.kill('SIGINT');
    await within(10_000, worker.outcome, 'a worker to stop');
  });
  await waitFor('a worker ready line', () => lines.some((line) => line.startsWith('worker ')));
  return lines;
}

describe('run --redis when Redis goes away for longer than --redis-timeout', () => {
  it('fails (exit 1) with the reason and the resume command; resume finishes it once Redis is back', async () => {
    const port = await freePort();
    const folder = mkdtempSync(join(space.path('.'), 'aof-'));
    // The append-only file keeps the queue across the restart, as in production.
    let redis: TestRedis = await startRedisServer({ port, dir: folder, appendOnly: true });
    closers.push(() => redis.stop());
    await startWorker(redis.url);

    const run = startCli(
      ['run', PIPELINE, ...TOPIC, '--json', '--redis', redis.url, '--redis-timeout', '1s'],
      { cwd: space.path('.') },
    );
    let stoppedAt: number | undefined;
    run.onLine((line) => {
      if (stoppedAt !== undefined || (JSON.parse(line) as RunEvent).type !== 'task:end') return;
      stoppedAt = Date.now();
      void redis.stop();
    });
    const failed = await within(20_000, run.outcome, 'the run that lost Redis');
    expect(stoppedAt).toBeDefined();
    expect(failed.code, failed.stderr).toBe(1);
    // The limit, then close() gives a Redis that is not there at most a second.
    expect(Date.now() - stoppedAt!).toBeLessThan(6_000);
    const runId = parseEventLines(failed.stdout)[0]!.runId;
    expect(failed.stderr).toContain(
      `the run failed: Redis at redis://127.0.0.1:${port} is unreachable: it has not answered for more than 1 s`,
    );
    expect(failed.stderr).toContain(
      `multi-context resume ${runId} --redis redis://127.0.0.1:${port}`,
    );
    expect(failed.stderr).not.toMatch(/at .*\.js/);

    // The journal is in Redis too, so it stopped with Redis, and said so.
    expect(failed.stderr).toContain('the journal failed, so the run is stopped');
    expect(existsSync(defaultJournal(space.path('.'), runId))).toBe(false);
    redis = await startRedisServer({ port, dir: folder, appendOnly: true });

    // Once Redis is back, the journal says how far the run got: the tasks that ended, and no end.
    const before = (await readRedisJournal(redis.url, runId)).events;
    expect(before.filter((event) => event.type === 'run:end')).toEqual([]);
    const done = before
      .filter((event) => event.type === 'task:end' && event.status === 'succeeded')
      .map((event) => (event as { taskId: string }).taskId);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(6);
    expect(
      before.filter((event) => event.type === 'task:end' && event.status === 'failed'),
    ).toEqual([]);

    const resumed = await within(
      30_000,
      runCli(['resume', runId, '--json', '--redis', redis.url], { cwd: space.path('.') }),
      'the resumed run',
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    const events = (await readRedisJournal(redis.url, runId)).events;
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    const after = events.slice(before.length);
    // No task that had ended was started (so paid for) again.
    const restarted = after
      .filter((event) => event.type === 'task:start')
      .map((event) => (event as { taskId: string }).taskId);
    expect(restarted.length).toBe(6 - done.length);
    for (const taskId of done) expect(restarted).not.toContain(taskId);
  }, 60_000);
});
