// One timed run of each kind the scale-out benchmarks compare (issue 13): a
// multi-context run whose calls BullMQ worker processes make, and the same
// number of raw BullMQ jobs through raw BullMQ worker processes.
import { createBullMQExecutor } from '@multi-context/bullmq';
import { type AttemptExecutor, MultiContextOrchestrator } from '@multi-context/core';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { oursConnection, redisUrl } from './scale-out-processes.js';
import { benchProvider } from './scale-out-provider.js';

/** One parallel phase of `tasks` tasks, each in its own context, as in parallel-phase.ts. */
export function instantWorkflow(tasks: number): Workflow {
  return defineWorkflow({
    name: `scale-out ${tasks}`,
    phases: [
      {
        name: 'all',
        executionMode: 'parallel',
        tasks: Array.from({ length: tasks }, (_, i) => ({
          contextName: `c${i}`,
          prompt: `task ${i}`,
        })),
      },
    ],
  });
}

/**
 * The coordinator's side: the run's provider is named `mock` as on the
 * workers; with `executor` unset the run makes its calls in this process, on
 * the same mock provider (answering after `latencyMs`).
 */
export async function runOurs(
  workflow: Workflow,
  executor?: AttemptExecutor,
  latencyMs = 0,
): Promise<number> {
  const orchestrator = new MultiContextOrchestrator({
    providers: { mock: benchProvider(latencyMs) },
    ...(executor !== undefined && { executor }),
  });
  const tasks = workflow.phases.reduce((sum, phase) => sum + phase.tasks.length, 0);
  const t0 = performance.now();
  const run = orchestrator.run(workflow);
  run.events$.subscribe(() => {});
  const result = await run.result;
  const ms = performance.now() - t0;
  if (result.successfulTasks !== tasks)
    throw new Error(`only ${result.successfulTasks} of ${tasks} tasks succeeded`);
  return ms;
}

export function oursExecutor(queueName: string) {
  return createBullMQExecutor({ connection: oursConnection(redisUrl()), queueName });
}

/**
 * A raw BullMQ producer on `queueName`: `rounds` rounds of `jobs` jobs, each round added with
 * addBulk (or one queue.add per job) and waited for.
 */
export function rawProducer(queueName: string, oneByOne = false) {
  const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  // Raw BullMQ has no answer to wait for: a round is over when no job of it is waiting or active.
  const drained = async () => {
    for (;;) {
      const left = await queue.getJobCountByTypes('wait', 'active', 'prioritized', 'delayed');
      if (left === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  return {
    async run(rounds: number, jobs: number): Promise<number> {
      const t0 = performance.now();
      for (let r = 0; r < rounds; r++) {
        const batch = Array.from({ length: jobs }, (_, i) => ({
          name: 'job',
          data: { round: r, i },
          opts: { removeOnComplete: true, removeOnFail: true },
        }));
        // `oneByOne`: a queue.add per job, all at once, as createBullMQExecutor does per attempt.
        if (oneByOne)
          await Promise.all(batch.map((job) => queue.add(job.name, job.data, job.opts)));
        else await queue.addBulk(batch);
        await drained();
      }
      return performance.now() - t0;
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const round1 = (value: number): number => Math.round(value * 10) / 10;
