import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, contentPipeline, workflow } from '../test/helpers.js';
import {
  MultiContextOrchestrator,
  OrchestratorConfigError,
  RunAlreadyEndedError,
} from './index.js';

/** Answers from the prompt and the whole history, so any history difference shows in later answers. */
function deterministic(requests: Map<string, number>) {
  return defineProvider({
    id: 'det',
    complete: async ({ taskId, prompt, history }) => {
      requests.set(taskId, (requests.get(taskId) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
      return `${prompt} after [${history.map((m) => m.content).join(' | ')}]`;
    },
  });
}

const pipeline = () => contentPipeline({ maxContextHistory: 3 });

function histories(orchestrator: MultiContextOrchestrator) {
  return Object.fromEntries(
    orchestrator
      .getContextNames()
      .sort()
      .map((name) => [name, orchestrator.getOrCreateContext(name).getHistory()]),
  );
}

async function uninterrupted() {
  const requests = new Map<string, number>();
  const orchestrator = new MultiContextOrchestrator({
    providers: { det: deterministic(requests) },
  });
  const run = orchestrator.run(pipeline(), { runId: 'r1' });
  const events = collect(run);
  const result = await run.result;
  return { events, result, histories: histories(orchestrator) };
}

describe('resume', () => {
  it('finishes an interrupted run from any point without repeating completed tasks', async () => {
    const full = await uninterrupted();
    // Every cut of the record: right after run:start up to just before run:end.
    for (let cut = 1; cut < full.events.length - 1; cut++) {
      const record = full.events.slice(0, cut);
      const doneBefore = new Set(
        record
          .filter((e) => e.type === 'task:end' && e.status === 'succeeded')
          .map((e) => (e as { taskId: string }).taskId),
      );
      const requests = new Map<string, number>();
      const orchestrator = new MultiContextOrchestrator({
        providers: { det: deterministic(requests) },
      });
      const run = orchestrator.resume(pipeline(), { events: record });
      const resumed = collect(run);
      const result = await run.result;

      expect(run.runId, `cut ${cut}`).toBe('r1');
      expect(result.status).toBe('succeeded');
      expect(result.phases.flatMap((p) => p.results.map((r) => r.response))).toEqual(
        full.result.phases.flatMap((p) => p.results.map((r) => r.response)),
      );
      for (const taskId of doneBefore)
        expect(requests.has(taskId), `cut ${cut}: ${taskId} asked again`).toBe(false);
      expect([...requests.keys()].sort()).toEqual(
        full.result.phases
          .flatMap((p) => p.results.map((r) => r.taskId))
          .filter((id) => !doneBefore.has(id))
          .sort(),
      );
      for (const count of requests.values()) expect(count).toBe(1);
      expect(histories(orchestrator)).toEqual(full.histories);

      // The resumed session continues the record: seq goes on, run:resume comes first.
      expect(resumed[0]).toMatchObject({ type: 'run:resume', seq: cut, runId: 'r1' });
      expect(resumed.map((e) => e.seq)).toEqual(resumed.map((_, i) => cut + i));
      expect(resumed.at(-1)!.type).toBe('run:end');
      // Every task ends exactly once across the recorded and the resumed session, counting kept ends.
      const endedAfter = resumed
        .filter((e) => e.type === 'task:end')
        .map((e) => (e as { taskId: string }).taskId);
      expect(endedAfter.filter((id) => doneBefore.has(id))).toEqual([]);
      expect(new Set([...doneBefore, ...endedAfter]).size).toBe(9);
    }
  });

  it('tells what it recovered in run:resume', async () => {
    const full = await uninterrupted();
    const firstWriterEnd = full.events.findIndex(
      (e) => e.type === 'task:end' && e.taskId === 'content_writer',
    );
    const record = full.events.slice(0, firstWriterEnd + 2); // and technical_writer's task:start
    const run = new MultiContextOrchestrator({
      providers: { det: deterministic(new Map()) },
    }).resume(pipeline(), {
      events: record,
    });
    const events = collect(run);
    await run.result;
    expect(events[0]).toMatchObject({
      type: 'run:resume',
      workflowName: 'Content Creation Pipeline',
      recoveredTaskIds: [
        'market_research',
        'technical_research',
        'competitive_analysis',
        'content_writer',
      ],
      interruptedTaskIds: ['technical_writer'],
    });
    expect((events[0] as { recoveredContexts: string[] }).recoveredContexts.sort()).toEqual([
      'competitive_analysis',
      'content_writer',
      'market_research',
      'technical_research',
    ]);
    // Phase 1 ended before the interruption: it is not started again; phase 2 is.
    expect(
      events
        .filter((e) => e.type === 'phase:start')
        .map((e) => (e as { phaseIndex: number }).phaseIndex),
    ).toEqual([1, 2, 3]);
  });

  it("counts the time each session ran in a resumed run's duration, not the downtime between them", async () => {
    const full = await uninterrupted();
    const firstWriterEnd = full.events.findIndex(
      (e) => e.type === 'task:end' && e.taskId === 'content_writer',
    );
    // The interrupted session ran an hour ago: it stopped an hour before the resume.
    const hour = 3_600_000;
    const record = full.events
      .slice(0, firstWriterEnd + 1)
      .map((event) => ({ ...event, time: event.time - hour }));
    const ran = record.at(-1)!.time - record[0]!.time;
    const run = new MultiContextOrchestrator({
      providers: { det: deterministic(new Map()) },
    }).resume(pipeline(), { events: record });
    const resumedAt = Date.now();
    const result = await run.result;
    const session = Date.now() - resumedAt;
    expect(result.durationMs).toBeGreaterThanOrEqual(ran);
    expect(result.durationMs).toBeLessThanOrEqual(ran + session + 5);
  });

  it('resumes a run that was cancelled, and keeps the failures it recorded', async () => {
    let calls = 0;
    const requests: string[] = [];
    const hangsOnce = defineProvider({
      id: 'h',
      complete: ({ signal, taskId, prompt }) => {
        requests.push(taskId);
        if (taskId === 'technical_research') throw new Error('bad input');
        if (++calls === 4) {
          return new Promise<string>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        }
        return prompt;
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { hangsOnce } });
    const run = orchestrator.run(pipeline());
    const record = collect(run);
    run.on('task:start', (e) => {
      if (e.taskId === 'content_writer') setTimeout(() => run.cancel('ctrl-c'), 5);
    });
    expect((await run.result).status).toBe('cancelled');
    requests.length = 0;

    const resumed = orchestrator.resume(pipeline(), { events: record });
    const result = await resumed.result;
    // market_research, competitive_analysis and content_writer succeeded and technical_research failed
    // before the cancel; technical_writer hung (the 4th counted call) and was cancelled.
    expect(
      record.find((e) => e.type === 'task:end' && e.taskId === 'technical_writer'),
    ).toMatchObject({ status: 'cancelled' });
    for (const done of [
      'market_research',
      'technical_research',
      'competitive_analysis',
      'content_writer',
    ]) {
      expect(requests).not.toContain(done);
    }
    expect(requests[0]).toBe('technical_writer');
    expect(result.status).toBe('failed');
    expect(result.phases[0]!.results[1]).toMatchObject({
      status: 'failed',
      error: { message: 'bad input' },
    });
    expect(result.successfulTasks).toBe(8);
  });

  it('says so and changes nothing for a run that already ended', async () => {
    const full = await uninterrupted();
    const orchestrator = new MultiContextOrchestrator({
      providers: { det: deterministic(new Map()) },
    });
    expect(() => orchestrator.resume(pipeline(), { events: full.events })).toThrowError(
      'Run r1 already ended (succeeded); there is nothing to resume.',
    );
    try {
      orchestrator.resume(pipeline(), { events: full.events });
    } catch (error) {
      expect(RunAlreadyEndedError.isInstance(error)).toBe(true);
    }
    expect(orchestrator.getContextNames()).toEqual([]);
  });

  it('refuses a record of another workflow or a broken record', async () => {
    const full = await uninterrupted();
    const orchestrator = new MultiContextOrchestrator({
      providers: { det: deterministic(new Map()) },
    });
    const other = workflow({
      name: 'Other',
      phases: [{ name: 'p', tasks: [{ contextName: 'a', prompt: 'x' }] }],
    });
    expect(() => orchestrator.resume(other, { events: full.events.slice(0, 5) })).toThrowError(
      /it was a run of another workflow \("Content Creation Pipeline", 9 tasks\)/,
    );
    const gap = [...full.events.slice(0, 3), ...full.events.slice(4, 8)];
    expect(() => orchestrator.resume(pipeline(), { events: gap })).toThrowError(
      /event 3 is numbered 4/,
    );
    const noStart: RunEvent[] = full.events.slice(1, 4);
    expect(() => orchestrator.resume(pipeline(), { events: noStart })).toSatisfy(() => {
      try {
        orchestrator.resume(pipeline(), { events: noStart });
        return false;
      } catch (error) {
        return OrchestratorConfigError.isInstance(error);
      }
    });
  });
});

describe('recoverRun', () => {
  it('counts only the messages of a task after its last start, so a rerun task is not counted twice', async () => {
    const { recoverRun } = await import('./index.js');
    const wf = workflow({
      name: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'a', prompt: 'q' }] }],
    });
    const base = { runId: 'r', time: 1 };
    let seq = 0;
    const e = (event: object) => ({ ...base, seq: seq++, ...event }) as RunEvent;
    const events: RunEvent[] = [
      e({
        type: 'run:start',
        workflowName: 'w',
        totalTasks: 1,
        phases: [{ name: 'p', executionMode: 'sequential', taskIds: ['a'] }],
      }),
      e({ type: 'phase:start', phaseIndex: 0, phaseName: 'p' }),
      e({
        type: 'task:start',
        taskId: 'a',
        phaseIndex: 0,
        contextName: 'a',
        profile: 'x',
        prompt: 'q',
      }),
      // The first session recorded the messages, then died before task:end was written.
      e({
        type: 'context:message',
        contextName: 'a',
        taskId: 'a',
        message: { role: 'user', content: 'q' },
      }),
      e({
        type: 'context:message',
        contextName: 'a',
        taskId: 'a',
        message: { role: 'assistant', content: 'lost' },
      }),
      e({
        type: 'run:resume',
        workflowName: 'w',
        recoveredTaskIds: [],
        interruptedTaskIds: ['a'],
        recoveredContexts: [],
      }),
      e({ type: 'phase:start', phaseIndex: 0, phaseName: 'p' }),
      e({
        type: 'task:start',
        taskId: 'a',
        phaseIndex: 0,
        contextName: 'a',
        profile: 'x',
        prompt: 'q',
      }),
      e({
        type: 'context:message',
        contextName: 'a',
        taskId: 'a',
        message: { role: 'user', content: 'q' },
      }),
      e({
        type: 'context:message',
        contextName: 'a',
        taskId: 'a',
        message: { role: 'assistant', content: 'kept' },
      }),
      e({
        type: 'task:end',
        taskId: 'a',
        status: 'succeeded',
        response: 'kept',
        attempts: 1,
        durationMs: 1,
      }),
    ];
    const recovered = recoverRun(wf, events);
    expect(recovered.histories.get('a')).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'kept' },
    ]);
    expect(recovered.completed.get('a')).toMatchObject({ status: 'succeeded', response: 'kept' });
  });
});
