// The journal's cost on the foundation benchmark: one parallel phase of N
// instant tasks, each in its own context, with and without a journal.
// Not a test: prints medians. Usage (after a build): node scripts/measure-cost.mjs [tasks] [repeats]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { attachJournal } from '../dist/index.js';

const tasks = Number(process.argv[2] ?? 10_000);
const repeats = Number(process.argv[3] ?? 9);
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
const dir = await mkdtemp(path.join(os.tmpdir(), 'mc-journal-cost-'));

/** One run; `journal` is undefined (none) or the options of attachJournal. */
async function once(journal) {
  const orchestrator = new MultiContextOrchestrator({ providers: { instant } });
  const t0 = performance.now();
  const run = orchestrator.run(workflow);
  let events = 0;
  run.events$.subscribe(() => {
    events++;
  });
  const writer = journal === undefined ? undefined : attachJournal(run, { dir, ...journal });
  const result = await run.result;
  const resultMs = performance.now() - t0;
  await writer?.done;
  const durableMs = performance.now() - t0;
  if (result.successfulTasks !== tasks) throw new Error(`only ${result.successfulTasks} succeeded`);
  return { resultMs, durableMs, events };
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms) => Math.round(ms * 10) / 10;
const modes = [
  ['no journal', undefined],
  ['journal (fsync)', {}],
  ['journal (no fsync)', { fsync: false }],
];
for (const [, journal] of modes) await once(journal); // warm-up
const figures = new Map(modes.map(([name]) => [name, { result: [], durable: [] }]));
// Interleaved, so a slow moment of a shared machine weighs on every mode alike.
for (let i = 0; i < repeats; i++) {
  for (const [name, journal] of modes) {
    const { resultMs, durableMs } = await once(journal);
    figures.get(name).result.push(resultMs);
    figures.get(name).durable.push(durableMs);
  }
}
const base = median(figures.get('no journal').result);
console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}; ${tasks} tasks, median of ${repeats}`,
);
for (const [name, { result, durable }] of figures) {
  const resultMs = median(result);
  const durableMs = median(durable);
  console.log(
    `${name.padEnd(20)} run.result ${round(resultMs)} ms   journal.done ${round(durableMs)} ms   (${round(durableMs / base)}x)`,
  );
}
await rm(dir, { recursive: true, force: true });
