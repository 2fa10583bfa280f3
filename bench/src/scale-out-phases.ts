// 3 parallel phases x 1,000 tasks whose call takes 100 ms, through 4 worker processes (issue 13):
// ours (createBullMQExecutor + createBullMQWorker on the mock provider with latencyMs 100) beside
// raw BullMQ doing the same 3 sequential waves of 1,000 jobs (addBulk, then wait until none is
// left) through 4 plain BullMQ Worker processes whose processor sleeps 100 ms. Same processes,
// same concurrency (default 250 each: all 1,000 calls of a phase at once across 4 workers).
// Usage: scale-out-phases.ts [workers] [concurrency] [repeats]

import { flushRedis, guardScenario, startWorkers, type WorkerSet } from './scale-out-processes.js';
import { median, oursExecutor, rawProducer, round1, runOurs } from './scale-out-runs.js';
import { scenario } from './scenario.js';
import { TIMED, timedWorkflow } from './timed-workflow.js';

const workers = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 250);
const repeats = Number(process.argv[4] ?? 5);
guardScenario(120_000);

await scenario(async () => {
  const { phases, tasks, latencyMs } = TIMED;
  await flushRedis();
  const workflow = timedWorkflow('scale-out timed');
  let raw: WorkerSet | undefined;
  let ours: WorkerSet | undefined;
  const producer = rawProducer('bench-raw-timed');
  const executor = oursExecutor('bench-ours-timed');
  const rawMs: number[] = [];
  const oursMs: number[] = [];
  try {
    raw = await startWorkers('raw', workers, 'bench-raw-timed', concurrency, latencyMs);
    ours = await startWorkers('ours', workers, 'bench-ours-timed', concurrency, latencyMs);
    // Warm-up: both sides' code paths (V8, connections, Lua scripts loaded).
    for (let i = 0; i < 2; i++) {
      await producer.run(phases, tasks);
      await runOurs(workflow, executor, latencyMs);
    }
    // Interleaved, so that a noisy moment of the shared VM weighs on both.
    for (let i = 0; i < repeats; i++) {
      rawMs.push(await producer.run(phases, tasks));
      oursMs.push(await runOurs(workflow, executor, latencyMs));
    }
  } finally {
    await executor.close();
    await producer.close();
    await raw?.stop();
    await ours?.stop();
  }
  process.stderr.write(
    `  3 x 1000 x 100 ms, ${workers} workers: raw ${rawMs.map(round1).join('/')} ms, ours ${oursMs.map(round1).join('/')} ms\n`,
  );
  const criticalPath = phases * latencyMs;
  const rawMedian = median(rawMs);
  const oursMedian = median(oursMs);
  // The target: within 10% of the critical path plus raw BullMQ's own overhead on the same jobs.
  const baseline = rawMedian;
  const rawOverhead = rawMedian - criticalPath;
  return {
    name: `scale-out makespan, 3 phases x 1,000 tasks x 100 ms, ${workers} worker processes x concurrency ${concurrency}`,
    oursMs: round1(oursMedian),
    rawBullmqMs: round1(rawMedian),
    criticalPathMs: criticalPath,
    rawOverheadMs: round1(rawOverhead),
    oursOverheadMs: round1(oursMedian - criticalPath),
    overBaselinePercent: Math.round(((oursMedian - baseline) / baseline) * 1000) / 10,
    oursMinMs: round1(Math.min(...oursMs)),
    oursMaxMs: round1(Math.max(...oursMs)),
    rawMinMs: round1(Math.min(...rawMs)),
    rawMaxMs: round1(Math.max(...rawMs)),
    repeats,
  };
});
process.exit(0);
