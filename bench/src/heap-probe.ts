import v8 from 'node:v8';
import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';

const n = 20000;
const wf = defineWorkflow({
  name: 'x',
  phases: [
    {
      name: 'p',
      executionMode: 'parallel',
      tasks: Array.from({ length: n }, (_, i) => ({ contextName: `c${i}`, prompt: `t${i}` })),
    },
  ],
});
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));
const p = defineProvider({
  id: 'i',
  complete: async () => {
    await gate;
    return 'ok';
  },
});
const o = new MultiContextOrchestrator({ providers: { p } });
global.gc?.();
const before = process.memoryUsage().heapUsed;
const run = o.run(wf);
run.events$.subscribe(() => {});
await new Promise((r) => setTimeout(r, 50));
global.gc?.();
const during = process.memoryUsage().heapUsed;
console.log('bytes per in-flight task', Math.round((during - before) / n));
const file = v8.writeHeapSnapshot('/tmp/probe.heapsnapshot');
release();
await run.result;
global.gc?.();
console.log(
  'bytes per finished task (retained)',
  Math.round((process.memoryUsage().heapUsed - before) / n),
  file,
);
