// The coordinator's memory on a 100,000-task run (issue 13): one parallel phase of instant
// tasks, either made in this process on the mock provider (`single`) or sent through
// createBullMQExecutor to worker processes (`workers`; their memory is theirs, not counted).
// Each mode runs in a fresh process (main.ts starts one per mode), so that the peak RSS the
// kernel reports (`maxRSS`) is that run's alone.
// Usage: scale-out-memory.ts <single|workers|live> [tasks] [workers] [concurrency]
// `live` is `workers` with a full GC every 2 s during the run: it reports the heap that is still
// reachable then (what the coordinator needs), not the peak V8 lets garbage reach before its
// next full GC. Not part of pnpm bench (the forced GCs change the run); see BENCHMARKS.md.

import { flushRedis, guardScenario, startWorkers, type WorkerSet } from './scale-out-processes.js';
import { instantWorkflow, oursExecutor, round1, runOurs } from './scale-out-runs.js';
import { memoryPeak, scenario } from './scenario.js';

const mode = process.argv[2] ?? 'single';
const tasks = Number(process.argv[3] ?? 100_000);
const workers = Number(process.argv[4] ?? 4);
const concurrency = Number(process.argv[5] ?? 100);
if (mode !== 'single' && mode !== 'workers' && mode !== 'live')
  throw new Error(`unknown mode ${mode}: single, workers or live`);
const distributed = mode !== 'single';
guardScenario(240_000);

await scenario(async () => {
  const workflow = instantWorkflow(tasks);
  const warmUp = instantWorkflow(1000);
  let set: WorkerSet | undefined;
  const executor = distributed ? oursExecutor('bench-memory') : undefined;
  try {
    if (distributed) {
      await flushRedis();
      set = await startWorkers('ours', workers, 'bench-memory', concurrency, 0);
    }
    await runOurs(warmUp, executor);
    global.gc?.();
    const before = process.memoryUsage();
    const peak = memoryPeak();
    const live: number[] = [];
    const probe =
      mode === 'live'
        ? setInterval(() => {
            global.gc?.();
            live.push(process.memoryUsage().heapUsed);
          }, 2_000)
        : undefined;
    const ms = await runOurs(workflow, executor);
    clearInterval(probe);
    const memory = peak.stop();
    // The V8 flag this process was started with, if any: main.ts runs `workers` again under a cap.
    const cap = process.execArgv.find((arg) => arg.startsWith('--max-old-space-size='));
    return {
      name: `coordinator memory, ${tasks} instant tasks, ${mode === 'single' ? 'one process (mock provider)' : `through ${workers} worker processes x concurrency ${concurrency}`}${mode === 'live' ? ', full GC every 2 s' : ''}${cap === undefined ? '' : ` (${cap})`}`,
      mode,
      tasks,
      ms: round1(ms),
      peakHeapMB: memory.heapMB,
      // The process's highest RSS since it started, from the kernel: a peak no sampling can miss.
      maxRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e5) / 10,
      heapBeforeMB: Math.round(before.heapUsed / 1e5) / 10,
      ...(mode === 'live' && {
        liveHeapMaxMB: Math.round(Math.max(...live) / 1e5) / 10,
        liveHeapSamples: live.length,
      }),
    };
  } finally {
    await executor?.close();
    await set?.stop();
  }
}).then(() => process.exit(0));
