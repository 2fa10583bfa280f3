import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';
import { waitFor, within } from './journal-cli.js';
import { parallelWorkflow, parseEventLines, type Workspace, workspace } from './workspace.js';

// Two calls a second for the offline provider, by whoever makes them.
const PROFILES = [
  'providers:',
  '  offline: { use: mock, rate_limit: { requests: 2, per: 1s } }',
  'profiles:',
  '  paced: { provider: offline }',
  '',
].join('\n');

const TASKS = Array.from({ length: 6 }, (_, i) => [`t${i + 1}`, 'paced', `Say ${i + 1}`] as const);

let redis: TestRedis;
let space: Workspace;
beforeAll(async () => {
  redis = await startRedisServer();
  space = workspace({ 'profiles.yaml': PROFILES, 'workflow.yaml': parallelWorkflow(TASKS) });
});
afterAll(async () => {
  await redis?.stop();
  space?.remove();
});

/** When each task ended, in ms after the first. */
function endOffsets(stdout: string): number[] {
  const ends = parseEventLines(stdout)
    .filter((event) => event.type === 'task:end')
    .map((event) => event.time);
  return ends.map((time) => time - ends[0]!);
}

describe('rate_limit of a provider in the profiles file', () => {
  it('holds a local run to it', async () => {
    const outcome = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json', '--mock-delay', '0'],
      { cwd: space.path('.') },
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    // Six calls at two a second: two at once, two a second later, two a second after that.
    const offsets = endOffsets(outcome.stdout);
    expect(offsets).toHaveLength(6);
    expect(offsets[5]).toBeGreaterThanOrEqual(1_900);
  }, 30_000);

  it('is shared by every worker of the queue, which says so when it starts', async () => {
    const workers = [0, 1].map(() => {
      const child = startCli([
        'worker',
        '--redis',
        redis.url,
        '--profiles',
        space.path('profiles.yaml'),
        '--queue',
        'paced',
        '--verbose',
        '--mock-delay',
        '0',
      ]);
      const lines: string[] = [];
      child.onLine((line) => lines.push(line));
      return { child, lines };
    });
    try {
      for (const worker of workers)
        await waitFor('a worker ready line', () =>
          worker.lines.some((line) => line.startsWith('worker ')),
        );
      for (const worker of workers)
        expect(worker.lines.find((line) => line.startsWith('worker '))).toContain(
          'rate limits offline 2/1s',
        );
      const outcome = await runCli(
        [
          'run',
          'workflow.yaml',
          '--profiles',
          'profiles.yaml',
          '--json',
          '--redis',
          redis.url,
          '--queue',
          'paced',
        ],
        { cwd: space.path('.') },
      );
      expect(outcome.code, outcome.stderr).toBe(0);
      const offsets = endOffsets(outcome.stdout);
      expect(offsets).toHaveLength(6);
      // Two workers with a limit each would finish in one second; one limit for both takes two.
      expect(offsets[5]).toBeGreaterThanOrEqual(1_900);
      const lines = workers.flatMap((worker) => worker.lines);
      expect(lines.some((line) => line.includes('(rate limit)'))).toBe(true);
      expect(lines.filter((line) => line.endsWith(': completed'))).toHaveLength(6);
    } finally {
      for (const worker of workers) worker.child.child.kill('SIGINT');
      for (const worker of workers) {
        const outcome = await within(5_000, worker.child.outcome, 'a worker to stop');
        expect(outcome.code, outcome.stderr).toBe(130);
      }
    }
  }, 60_000);
});
