// The orchestrator's own cost per tool round trip (issue 15): tasks whose
// instant model asks for one instant tool call per step, next to the same
// tasks answered at once. The difference, per round trip, is what the agent
// loop costs: the step's request, the call's check and run, its two events,
// and the two messages the step adds to the context.
import { MultiContextOrchestrator, type Tool } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { perItemUs, scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 2000);
const roundTrips = Number(process.argv[3] ?? 9);

await scenario(async () => {
  const workflow: Workflow = defineWorkflow({
    name: 'tool round trips',
    defaultProfile: 'agent',
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
  const echo: Tool = {
    name: 'echo',
    description: 'Says its input back.',
    inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    execute: (input) => input,
  };
  const once = async (withTools: boolean) => {
    // An instant model: it counts each task's steps itself, so its own cost stays flat.
    const steps = new Map<string, number>();
    const model = defineProvider({
      id: 'instant',
      complete: ({ taskId }) => {
        const step = (steps.get(taskId) ?? 0) + 1;
        steps.set(taskId, step);
        if (!withTools || step > roundTrips) return 'done';
        return {
          text: '',
          toolCalls: [{ id: `${taskId}.${step}`, name: 'echo', input: { n: step } }],
        };
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { instant: model },
      tools: { echo },
      profiles: { agent: withTools ? { tools: ['echo'], maxSteps: roundTrips + 1 } : {} },
    });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {});
    const result = await run.result;
    const ms = performance.now() - t0;
    if (!result.success) throw new Error('a task failed');
    return ms;
  };
  await once(false);
  await once(true);
  const times = { plain: [] as number[], tools: [] as number[] };
  // Interleaved, so a slow moment weighs on both alike.
  for (let i = 0; i < 9; i++) {
    times.plain.push(await once(false));
    times.tools.push(await once(true));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const plain = median(times.plain);
  const tools = median(times.tools);
  return {
    name: `tool round trips, ${tasks} tasks x ${roundTrips}`,
    plainUsPerTask: perItemUs(plain, tasks),
    toolsUsPerTask: perItemUs(tools, tasks),
    usPerRoundTrip: perItemUs(tools - plain, tasks * roundTrips),
  };
});
