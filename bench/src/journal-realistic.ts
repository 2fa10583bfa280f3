// The journal's cost on a realistic run: 3 parallel phases of 1,000 tasks whose
// provider takes 100 ms each, journaled durably (synced at every task end, as
// the CLI does), against the same run without a journal. The makespan of a
// journaled run is measured until its last event is written and synced.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import { attachJournal } from '@multi-context/journal';
import { defineProvider } from '@multi-context/provider';
import { scenario } from './scenario.js';
import { TIMED, timedCall, timedWorkflow } from './timed-workflow.js';

await scenario(async () => {
  const { phases, tasks } = TIMED;
  const workflow = timedWorkflow('journaled, timed');
  const slow = defineProvider({ id: 'slow', complete: timedCall });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mc-bench-journal-timed-'));
  const once = async (journaled: boolean) => {
    const orchestrator = new MultiContextOrchestrator({ providers: { slow } });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {});
    const writer = journaled ? attachJournal(run, { dir, fsync: true }) : undefined;
    const result = await run.result;
    await writer?.done;
    if (result.successfulTasks !== phases * tasks) throw new Error('tasks failed');
    return performance.now() - t0;
  };
  // Warm up both modes (see timed-phases.ts), then interleave them so that a slow moment of a
  // shared machine weighs on both alike.
  for (let i = 0; i < 3; i++) {
    await once(false);
    await once(true);
  }
  const plain: number[] = [];
  const journaled: number[] = [];
  for (let i = 0; i < 7; i++) {
    plain.push(await once(false));
    journaled.push(await once(true));
  }
  await rm(dir, { recursive: true, force: true });
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const without = median(plain);
  const withJournal = median(journaled);
  return {
    name: 'journal cost, 3 parallel phases x 1,000 tasks x 100 ms, durable at every task end',
    withoutMs: round(without),
    withJournalDurableMs: round(withJournal),
    overheadPercent: Math.round(((withJournal - without) / without) * 1000) / 10,
  };
});
