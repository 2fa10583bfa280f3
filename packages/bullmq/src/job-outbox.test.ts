import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { AttemptJobData } from './attempt-job.js';
import { JobOutbox } from './job-outbox.js';

/** A queue that records each addBulk's job ids and settles it when told. */
function recordingQueue() {
  const batches: string[][] = [];
  const settle: ((error?: Error) => void)[] = [];
  const queue = {
    addBulk(jobs: { opts: { jobId: string; attempts: number } }[]) {
      batches.push(jobs.map((job) => job.opts.jobId));
      expect(jobs.every((job) => job.opts.attempts === 1)).toBe(true);
      return new Promise<unknown[]>((resolve, reject) => {
        settle.push((error) => (error === undefined ? resolve([]) : reject(error)));
      });
    },
  } as unknown as Queue;
  return { queue, batches, settle };
}

const data = {} as AttemptJobData;
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('JobOutbox', () => {
  it('adds the jobs of one turn together, 500 to a batch, two batches in flight at most', async () => {
    const { queue, batches, settle } = recordingQueue();
    const outbox = new JobOutbox(
      queue,
      () => true,
      () => {},
    );
    for (let i = 0; i < 1_600; i++) outbox.add(`j${i}`, data);
    expect(batches).toEqual([]);
    await turn();
    expect(batches.map((batch) => batch.length)).toEqual([500, 500]);
    expect(batches[0]![0]).toBe('j0');
    settle[0]!();
    await turn();
    await turn();
    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 500]);
    settle[1]!();
    settle[2]!();
    await turn();
    await turn();
    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 500, 100]);
    expect(batches.flat()).toEqual(Array.from({ length: 1_600 }, (_, i) => `j${i}`));
  });

  it('never sends a job withdrawn before its turn, and says whether it was still waiting', async () => {
    const { queue, batches } = recordingQueue();
    const outbox = new JobOutbox(
      queue,
      () => true,
      () => {},
    );
    outbox.add('a', data);
    outbox.add('b', data);
    expect(outbox.withdraw('a')).toBe(true);
    await turn();
    expect(batches).toEqual([['b']]);
    // Given to Redis already: the caller must cancel it in the queue.
    expect(outbox.withdraw('b')).toBe(false);
  });

  it('skips jobs whose attempt no longer wants them, and fails a batch Redis refused', async () => {
    const { queue, batches, settle } = recordingQueue();
    const failed: [readonly string[], unknown][] = [];
    const outbox = new JobOutbox(
      queue,
      (jobId) => jobId !== 'gone',
      (jobIds, error) => failed.push([jobIds, error]),
    );
    outbox.add('x', data);
    outbox.add('gone', data);
    outbox.add('y', data);
    await turn();
    expect(batches).toEqual([['x', 'y']]);
    const refused = new Error('OOM command not allowed');
    settle[0]!(refused);
    await turn();
    expect(failed).toEqual([[['x', 'y'], refused]]);
  });
});
