import type { RunEvent } from '@multi-context/events';
import { parseWorkflow } from '@multi-context/loader';
import { describe, expect, it } from 'vitest';
import { recordPipeline, recordRun } from '../../test/pipeline-run.js';
import { foldRunView } from './fold-run-view.js';
import { RunViewBuilder } from './run-view-builder.js';

describe('foldRunView of the example pipeline', () => {
  it('has a lane per context in first-seen order, the phases, retries, trims and totals', async () => {
    const { events } = await recordPipeline();
    const view = foldRunView(events);

    expect(view.workflowName).toBe('Launch article');
    expect(view.status).toBe('succeeded');
    expect(view.lanes.map((lane) => lane.contextName)).toEqual([
      'market',
      'competitors',
      'writer',
      'reviewer',
    ]);
    expect(view.phases.map((phase) => [phase.name, phase.status, phase.spans.length])).toEqual([
      ['Research', 'succeeded', 1],
      ['Plan', 'succeeded', 1],
      ['Write', 'succeeded', 1],
      ['Review', 'succeeded', 1],
    ]);
    const market = view.tasks.find((task) => task.taskId === 'market')!;
    expect(market.attempts).toHaveLength(2);
    expect(market.attempts[0]?.error?.message).toContain('overloaded');
    expect(market.attempts[1]).toMatchObject({ attempt: 2 });
    expect(market.attempts[1]!.start).toBeGreaterThanOrEqual(market.attempts[0]!.end!);
    // The plan's first answer was not JSON: sent back once (a repair is a retry with no delay).
    const plan = view.tasks.find((task) => task.taskId === 'plan')!;
    expect(plan.attempts.map((attempt) => attempt.error?.name)).toEqual([
      'OutputValidationError',
      undefined,
    ]);
    expect(plan.json).toMatchObject({ title: 'Workflows that remember' });
    const writer = view.lanes.find((lane) => lane.contextName === 'writer')!;
    expect(writer.taskIds).toEqual(['plan', 'draft', 'writer']);
    expect(writer.trims).toHaveLength(1);
    expect(writer.trims[0]?.summary?.covers).toBeGreaterThan(0);
    expect(view.totals.tasks).toMatchObject({ succeeded: 6, running: 0, pending: 0, failed: 0 });
    expect(view.totals.usage.totalTokens).toBe(view.result?.usage.totalTokens);
    expect(view.totals.durationMs).toBe(view.result?.durationMs);
    expect(view.eventCount).toBe(events.length);
  });

  it('shows a run in progress: running tasks, their streamed text, pending ones', async () => {
    const { events } = await recordPipeline();
    const cut = events.findIndex(
      (event) => event.type === 'task:delta' && event.taskId === 'draft',
    );
    const builder = new RunViewBuilder();
    for (const event of events.slice(0, cut + 3)) builder.add(event);
    const { view } = builder;
    const draft = builder.task('draft')!;
    expect(view.status).toBe('running');
    expect(view.end).toBeUndefined();
    expect(draft.status).toBe('running');
    expect(draft.deltas).toBe(3);
    expect(draft.streamedText.length).toBeGreaterThan(0);
    expect(view.totals.tasks).toMatchObject({ succeeded: 3, running: 1, pending: 2 });
    expect(view.phases[2]?.status).toBe('running');
    expect(view.phases[3]?.status).toBe('pending');
    expect(view.totals.durationMs).toBe(events[cut + 2]!.time - events[0]!.time);
    // Its history so far is as sent, though the run goes on.
    expect(builder.historyAsSent('draft')?.map((message) => message.role)).toEqual([
      'user',
      'assistant',
    ]);
  });
});

describe('a resumed run', () => {
  const notes = parseWorkflow(`
name: Notes
phases:
  - name: Gather
    tasks:
      - { id: a, context_name: notes, prompt: one }
      - { id: b, context_name: notes, prompt: two }
      - { id: c, context_name: notes, prompt: three }
      - { id: d, context_name: notes, prompt: four }
config:
  max_context_history: 3
`);

  it('folds the interrupted session, run:resume and the resumed session into one view', async () => {
    const first = await recordRun(notes);
    // Interrupted after c started and its messages were recorded, before its end was.
    const cEnd = first.events.findIndex((e) => e.type === 'task:end' && e.taskId === 'c');
    const record = first.events.slice(0, cEnd);
    const resumed = await recordRun(notes, {}, {}, record);
    const events: RunEvent[] = [...record, ...resumed.events];
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));

    const builder = new RunViewBuilder();
    for (const event of events) builder.add(event);
    const { view } = builder;
    expect(view.resumes).toHaveLength(1);
    expect(view.resumes[0]?.interruptedTaskIds).toEqual(['c']);
    expect(view.status).toBe('succeeded');
    expect(view.totals.tasks).toMatchObject({ succeeded: 4, pending: 0, running: 0 });
    const c = builder.task('c')!;
    expect(c.attempts.map((attempt) => Boolean(attempt.interrupted))).toEqual([true, false]);
    expect(c.firstStart).toBeLessThan(c.start!);
    expect(view.phases[0]?.spans).toHaveLength(2);
    // c ran again without its lost messages; d after it: each as the resumed run sent it.
    expect(builder.historyAsSent('c')).toEqual(resumed.sent.get('c'));
    expect(builder.historyAsSent('d')).toEqual(resumed.sent.get('d'));
  });
});

describe('RunViewBuilder', () => {
  it('places a task that never started in its lane once run:end names its context', () => {
    const base = { runId: 'r', time: 1 };
    const events = [
      {
        ...base,
        seq: 0,
        type: 'run:start',
        workflowName: 'w',
        totalTasks: 1,
        phases: [{ name: 'p', executionMode: 'parallel', taskIds: ['t'] }],
      },
      { ...base, seq: 1, type: 'phase:start', phaseIndex: 0, phaseName: 'p' },
      {
        ...base,
        seq: 2,
        type: 'task:end',
        taskId: 't',
        status: 'skipped',
        error: { name: 'E', message: 'blocked' },
        attempts: 0,
        durationMs: 0,
      },
      { ...base, seq: 3, type: 'phase:end', phaseIndex: 0, phaseName: 'p', status: 'failed' },
      {
        ...base,
        seq: 4,
        type: 'run:end',
        status: 'failed',
        result: {
          runId: 'r',
          workflowName: 'w',
          success: false,
          status: 'failed',
          phases: [
            {
              name: 'p',
              executionMode: 'parallel',
              status: 'failed',
              usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
              results: [
                {
                  taskId: 't',
                  contextName: 'ctx',
                  profile: 'default',
                  status: 'skipped',
                  success: false,
                  attempts: 0,
                  durationMs: 0,
                },
              ],
            },
          ],
          totalTasks: 1,
          successfulTasks: 0,
          failedTasks: 0,
          usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
          contextUsage: {},
          durationMs: 3,
        },
      },
    ] as RunEvent[];
    const builder = new RunViewBuilder();
    builder.add(events[0]!);
    builder.add(events[1]!);
    builder.add(events[2]!);
    expect(builder.task('t')).toMatchObject({ status: 'skipped', contextName: undefined });
    expect(builder.view.lanes).toEqual([]);
    builder.add(events[3]!);
    builder.add(events[4]!);
    expect(builder.task('t')?.contextName).toBe('ctx');
    expect(builder.view.lanes.map((lane) => lane.taskIds)).toEqual([['t']]);
    expect(builder.view.totals.tasks.skipped).toBe(1);
    expect(builder.historyAsSent('t')).toBeUndefined();
  });
});
