// The foundation benchmark (10,000 instant tasks) with and without a journal.
// "durable" waits for journal.done: every event written and synced. On instant
// tasks the journal's work is all there is to measure: its cost per event.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import { attachJournal } from '@multi-context/journal';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);

await scenario(async () => {
  const workflow = defineWorkflow({
    name: 'journaled',
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
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mc-bench-journal-'));
  let events = 0;
  /** One run: without a journal, or with one (fsync on or off). */
  const once = async (journal: 'none' | 'fsync' | 'no-fsync') => {
    const orchestrator = new MultiContextOrchestrator({ providers: { instant } });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => events++);
    const writer =
      journal === 'none' ? undefined : attachJournal(run, { dir, fsync: journal === 'fsync' });
    await run.result;
    const resultMs = performance.now() - t0;
    await writer?.done;
    return { resultMs, durableMs: performance.now() - t0 };
  };
  for (const mode of ['none', 'fsync', 'no-fsync'] as const) await once(mode);
  const eventsPerRun = events / 3;
  const plain: number[] = [];
  const result: number[] = [];
  const durable: number[] = [];
  const noFsync: number[] = [];
  // Interleaved, so a slow moment of a shared machine weighs on every mode alike.
  for (let i = 0; i < 9; i++) {
    plain.push((await once('none')).durableMs);
    const journaled = await once('fsync');
    result.push(journaled.resultMs);
    durable.push(journaled.durableMs);
    noFsync.push((await once('no-fsync')).durableMs);
  }
  await rm(dir, { recursive: true, force: true });
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    name: `journal cost, ${tasks} instant tasks`,
    withoutMs: round(median(plain)),
    withJournalResultMs: round(median(result)),
    withJournalDurableMs: round(median(durable)),
    withJournalNoFsyncDurableMs: round(median(noFsync)),
    durableRatio: Math.round((median(durable) / median(plain)) * 100) / 100,
    eventsPerRun,
    usPerEventDurable:
      Math.round(((median(durable) - median(plain)) * 1000 * 100) / eventsPerRun) / 100,
  };
});
