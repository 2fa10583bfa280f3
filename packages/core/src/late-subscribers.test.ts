import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, contentPipeline, deferred, recordingProvider } from '../test/helpers.js';
import { MultiContextOrchestrator, OrchestratorConfigError } from './index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A provider that answers after `ms` milliseconds, so a run is still going when a late subscriber comes. */
const slow = (ms: number) =>
  defineProvider({
    id: 'slow',
    complete: async ({ prompt }) => {
      await sleep(ms);
      return `done: ${prompt}`;
    },
  });

const seqs = (events: RunEvent[]) => events.map((event) => event.seq);
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('late subscribers', () => {
  it('see nothing of what came before they subscribed, by default', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { p: slow(40) } });
    const run = orchestrator.run(contentPipeline());
    const early = collect(run);
    await sleep(20);
    const late = collect(run);
    await run.result;
    expect(early[0]!.type).toBe('run:start');
    expect(late.length).toBeGreaterThan(0);
    expect(late[0]!.seq).toBeGreaterThan(0);
  });

  it('with replay: true, see the run from run:start, then the rest live', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { p: slow(40) } });
    const run = orchestrator.run(contentPipeline(), { replay: true });
    const early = collect(run);
    await sleep(20);
    expect(early.length).toBeGreaterThan(0);
    const late = collect(run);
    let completed = false;
    run.events$.subscribe({ complete: () => (completed = true) });
    const result = await run.result;
    expect(seqs(late)).toEqual(upTo(early.length));
    expect(late).toEqual(early);
    expect(late.at(-1)).toMatchObject({ type: 'run:end', result });
    expect(completed).toBe(true);
  });

  it('with replay: true, see every event after the run ended, then completion', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline(), { replay: true });
    const live = collect(run);
    await run.result;
    const after = await new Promise<RunEvent[]>((resolve) =>
      run.events$.pipe(toArray()).subscribe(resolve),
    );
    expect(after).toEqual(live);
    const types: string[] = [];
    run.on('*', (event) => types.push(event.type));
    expect(types).toEqual(live.map((event) => event.type));
    const ends: string[] = [];
    run.on('task:end', (event) => ends.push(event.taskId));
    const firstEnd: string[] = [];
    run.once('task:end', (event) => firstEnd.push(event.taskId));
    const taskEnds = live.filter((event) => event.type === 'task:end');
    expect(ends).toEqual(taskEnds.map((event) => event.taskId));
    expect(firstEnd).toEqual([ends[0]]);
  });

  it('with replay: n, see at most the newest n events that came before, and everything after', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline(), { replay: 3 });
    const live = collect(run);
    await run.result;
    expect(seqs(collect(run))).toEqual(seqs(live.slice(-3)));
  });

  it('stop replaying when they unsubscribe midway', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline(), { replay: true });
    await run.result;
    const firstTwo = await new Promise<RunEvent[]>((resolve) =>
      run.events$.pipe(take(2), toArray()).subscribe(resolve),
    );
    expect(seqs(firstTwo)).toEqual([0, 1]);
  });

  it('keep the order when they cancel the run while it is replayed to them', async () => {
    const gate = deferred();
    const blocked = defineProvider({ id: 'b', complete: () => gate.promise.then(() => 'late') });
    const orchestrator = new MultiContextOrchestrator({ providers: { blocked } });
    const run = orchestrator.run(contentPipeline(), { replay: true });
    const early = collect(run);
    await sleep(10);
    const late: RunEvent[] = [];
    run.events$.subscribe((event) => {
      late.push(event);
      // Cancelling ends in-flight tasks at once: their events arrive during this replay.
      if (event.type === 'task:start') run.cancel('seen enough');
    });
    const result = await run.result;
    gate.resolve();
    expect(result.status).toBe('cancelled');
    expect(seqs(late)).toEqual(upTo(late.length));
    expect(late).toEqual(early);
  });

  it('also see a resumed run from its run:resume', async () => {
    const first = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = first.run(contentPipeline(), { runId: 'r' });
    const record = collect(run);
    await run.result;
    const cut = record.findIndex((e) => e.type === 'phase:start' && e.phaseIndex === 2);
    const again = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const resumed = again.resume(contentPipeline(), { events: record.slice(0, cut), replay: true });
    await resumed.result;
    const seen = collect(resumed);
    expect(seen[0]).toMatchObject({ type: 'run:resume', seq: cut });
    expect(seen.at(-1)!.type).toBe('run:end');
  });

  it('refuse a replay option that is neither a boolean nor a non-negative integer', () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    for (const replay of [-1, 1.5, Number.NaN, 'all']) {
      expect(() => orchestrator.run(contentPipeline(), { replay: replay as never })).toThrowError(
        OrchestratorConfigError,
      );
    }
  });
});
