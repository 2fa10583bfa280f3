// One parallel phase of N tasks, each in its own context, an instant provider,
// one subscriber on events$. Usage: parallel-phase.ts <tasks> [repeats]
import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { memoryPeak, perItemUs, scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 1000);
const repeats = Number(process.argv[3] ?? 5);

await scenario(async () => {
  const workflow = defineWorkflow({
    name: `parallel ${tasks}`,
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
  const instant = defineProvider({ id: 'instant', complete: async () => 'ok' });

  const once = async () => {
    // A new orchestrator each time: contexts start empty, like a fresh run.
    const orchestrator = new MultiContextOrchestrator({ providers: { instant } });
    let events = 0;
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {
      events++;
    });
    const result = await run.result;
    const ms = performance.now() - t0;
    if (result.successfulTasks !== tasks)
      throw new Error(`only ${result.successfulTasks} of ${tasks} succeeded`);
    return { ms, events };
  };

  await once(); // warm-up
  const times: number[] = [];
  let events = 0;
  for (let i = 0; i < repeats - 1; i++) times.push((await once()).ms);
  global.gc?.();
  const peak = memoryPeak();
  const last = await once();
  const memory = peak.stop();
  times.push(last.ms);
  events = last.events;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return {
    name: `parallel phase, ${tasks} tasks`,
    tasks,
    medianMs: Math.round(median * 10) / 10,
    usPerTask: perItemUs(median, tasks),
    eventsPerRun: events,
    peakHeapMB: memory.heapMB,
    peakRssMB: memory.rssMB,
  };
});
