// The coordinator's memory on a 100,000-task run (issue 13): one parallel phase of instant
// tasks, either made in this process on the mock provider (`single`) or sent through
// createBullMQExecutor to worker processes (`workers`; their memory is theirs, not counted).
// Each mode runs in a fresh process (main.ts starts one per mode), so that the peak RSS the
// kernel reports (`maxRSS`) is that run's alone.
// Usage: scale-out-memory.ts <single|workers> [tasks] [workers] [concurrency]

import { flushRedis, guardScenario, startWorkers, type WorkerSet } from './scale-out-processes.js';
import { instantWorkflow, oursExecutor, round1, runOurs } from './scale-out-runs.js';
import { memoryPeak, scenario } from './scenario.js';

const mode = process.argv[2] ?? 'single';
const tasks = Number(process.argv[3] ?? 100_000);
const workers = Number(process.argv[4] ?? 4);
const concurrency = Number(process.argv[5] ?? 100);
if (mode !== 'single' && mode !== 'workers')
  throw new Error(`unknown mode ${mode}: single or workers`);
guardScenario(240_000);

await scenario(async () => {
  const workflow = instantWorkflow(tasks);
  const warmUp = instantWorkflow(1000);
  let set: WorkerSet | undefined;
  const executor = mode === 'workers' ? oursExecutor('bench-memory') : undefined;
  try {
    if (mode === 'workers') {
      await flushRedis();
      set = await startWorkers('ours', workers, 'bench-memory', concurrency, 0);
    }
    await runOurs(warmUp, executor);
    global.gc?.();
    const before = process.memoryUsage();
    const peak = memoryPeak();
    const ms = await runOurs(workflow, executor);
    const memory = peak.stop();
    return {
      name: `coordinator memory, ${tasks} instant tasks, ${mode === 'single' ? 'one process (mock provider)' : `through ${workers} worker processes x concurrency ${concurrency}`}`,
      mode,
      tasks,
      ms: round1(ms),
      peakHeapMB: memory.heapMB,
      // The process's highest RSS since it started, from the kernel: a peak no sampling can miss.
      maxRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e5) / 10,
      heapBeforeMB: Math.round(before.heapUsed / 1e5) / 10,
    };
  } finally {
    await executor?.close();
    await set?.stop();
  }
}).then(() => process.exit(0));
