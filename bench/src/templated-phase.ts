// The parallel-phase benchmark with every prompt rendered from a template
// ({{ inputs.topic }}), next to the same run with plain prompts.
import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { perItemUs, scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);

await scenario(async () => {
  const make = (templated: boolean): Workflow =>
    defineWorkflow({
      name: 'templated',
      inputs: { topic: { type: 'string', default: 'tides' } },
      phases: [
        {
          name: 'all',
          executionMode: 'parallel',
          tasks: Array.from({ length: tasks }, (_, i) => ({
            contextName: `c${i}`,
            prompt: templated ? `task ${i} on {{ inputs.topic }}` : `task ${i} on tides`,
          })),
        },
      ],
    });
  const instant = defineProvider({ id: 'instant', complete: async () => 'ok' });
  const once = async (workflow: Workflow) => {
    const orchestrator = new MultiContextOrchestrator({ providers: { instant } });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {});
    await run.result;
    return performance.now() - t0;
  };
  const plain = make(false);
  const templated = make(true);
  const times = { plain: [] as number[], templated: [] as number[] };
  await once(plain);
  await once(templated);
  // Interleaved, so a slow moment weighs on both alike.
  for (let i = 0; i < 9; i++) {
    times.plain.push(await once(plain));
    times.templated.push(await once(templated));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const plainUs = perItemUs(median(times.plain), tasks);
  const templatedUs = perItemUs(median(times.templated), tasks);
  return {
    name: `template rendering, ${tasks} tasks`,
    plainUsPerTask: plainUs,
    templatedUsPerTask: templatedUs,
    differenceUs: Math.round((templatedUs - plainUs) * 100) / 100,
  };
});
