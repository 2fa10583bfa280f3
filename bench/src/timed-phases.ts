// 3 parallel phases of 1,000 tasks whose provider takes 100 ms each: the ideal is 300 ms.
import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { scenario } from './scenario.js';
import { TIMED, timedCall, timedWorkflow } from './timed-workflow.js';

await scenario(async () => {
  const { phases, tasks, latencyMs } = TIMED;
  const workflow = timedWorkflow('timed');
  const call = timedCall;
  const slow = defineProvider({ id: 'slow', complete: call });
  const once = async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { slow } });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {});
    const result = await run.result;
    if (result.successfulTasks !== phases * tasks) throw new Error('tasks failed');
    return performance.now() - t0;
  };
  // The same calls without an orchestrator (3 rounds of Promise.all over 1,000 of them): the
  // timers alone, which fire at the earliest 100 ms after their call, in whole milliseconds.
  const bare = async () => {
    const t0 = performance.now();
    for (let p = 0; p < phases; p++) await Promise.all(Array.from({ length: tasks }, call));
    return performance.now() - t0;
  };
  // V8 takes several runs of 3,000 tasks to finish optimising the scheduler: warm up until
  // steady (a long-lived host runs warm code), and report the cold first run as well.
  const coldMs = await once();
  for (let i = 0; i < 4; i++) {
    await once();
    await bare();
  }
  const times: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    times.push(await once());
    bareTimes.push(await bare());
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[2]!;
  const ms = median(times);
  const ideal = phases * latencyMs;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    name: '3 parallel phases x 1,000 tasks x 100 ms',
    ms: round(ms),
    idealMs: ideal,
    overheadPercent: Math.round(((ms - ideal) / ideal) * 1000) / 10,
    coldFirstRunMs: round(coldMs),
    bareCallsMs: round(median(bareTimes)),
  };
});
