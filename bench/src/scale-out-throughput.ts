// Throughput of 10,000 instant tasks through 1, 2 and 4 worker processes, ours
// (createBullMQExecutor + createBullMQWorker) beside raw BullMQ (addBulk + a
// Worker whose processor returns at once), same jobs, same processes, same
// concurrency (issue 13). Usage: scale-out-throughput.ts [tasks] [concurrency] [repeats]

import { flushRedis, guardScenario, startWorkers, type WorkerSet } from './scale-out-processes.js';
import {
  instantWorkflow,
  median,
  oursExecutor,
  rawProducer,
  round1,
  runOurs,
} from './scale-out-runs.js';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 100);
const repeats = Number(process.argv[4] ?? 3);
guardScenario(150_000);

await scenario(async () => {
  await flushRedis();
  const workflow = instantWorkflow(tasks);
  const warmUp = instantWorkflow(1000);
  const figures: Record<string, number> = {};
  for (const workers of [1, 2, 4]) {
    const rawQueue = `bench-raw-${workers}`;
    const oursQueue = `bench-ours-${workers}`;
    let raw: WorkerSet | undefined;
    let ours: WorkerSet | undefined;
    const producer = rawProducer(rawQueue);
    const executor = oursExecutor(oursQueue);
    try {
      raw = await startWorkers('raw', workers, rawQueue, concurrency, 0);
      ours = await startWorkers('ours', workers, oursQueue, concurrency, 0);
      await producer.run(1, 1000);
      await runOurs(warmUp, executor);
      // Interleaved, so that a noisy moment of the shared VM weighs on both.
      const rawMs: number[] = [];
      const oursMs: number[] = [];
      for (let i = 0; i < repeats; i++) {
        rawMs.push(await producer.run(1, tasks));
        oursMs.push(await runOurs(workflow, executor));
      }
      const rawPerS = Math.round(tasks / (median(rawMs) / 1000));
      const oursPerS = Math.round(tasks / (median(oursMs) / 1000));
      figures[`raw${workers}JobsPerS`] = rawPerS;
      figures[`ours${workers}TasksPerS`] = oursPerS;
      figures[`ratio${workers}`] = Math.round((oursPerS / rawPerS) * 100) / 100;
      figures[`raw${workers}Ms`] = round1(median(rawMs));
      figures[`ours${workers}Ms`] = round1(median(oursMs));
      process.stderr.write(
        `  ${workers} worker(s): raw ${rawMs.map(round1).join('/')} ms, ours ${oursMs.map(round1).join('/')} ms\n`,
      );
    } finally {
      await executor.close();
      await producer.close();
      await raw?.stop();
      await ours?.stop();
    }
    await flushRedis();
  }
  return {
    name: `scale-out throughput, ${tasks} instant tasks, 1/2/4 worker processes x concurrency ${concurrency}`,
    tasks,
    concurrency,
    repeats,
    ...figures,
  };
});
process.exit(0);
