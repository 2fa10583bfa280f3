import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { EventScript, failed, resultOf, succeeded } from '../../test/run-events.js';
import { renderFrame } from './render-frame.js';
import { RunView } from './run-view.js';

const colors = pc.createColors(false);

function started(): { script: EventScript; view: RunView } {
  const script = new EventScript();
  const view = new RunView();
  const feed = (...events: ReturnType<EventScript['emit']>[]) => {
    for (const event of events) view.apply(event);
  };
  feed(
    script.emit({
      type: 'run:start',
      workflowName: 'Content Pipeline',
      totalTasks: 3,
      phases: [
        {
          name: 'Research',
          executionMode: 'parallel',
          taskIds: ['market_research', 'technical_research'],
        },
        { name: 'Writing', executionMode: 'sequential', taskIds: ['content_writer'] },
      ],
    }),
    script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Research' }),
    script.emit({
      type: 'task:start',
      taskId: 'market_research',
      phaseIndex: 0,
      contextName: 'market_research',
      profile: 'researcher',
      prompt: 'Research trends',
    }),
    script.emit({ type: 'task:delta', taskId: 'market_research', text: 'AI tools are ' }, 100),
    script.emit({ type: 'task:delta', taskId: 'market_research', text: 'growing fast' }, 100),
  );
  return { script, view };
}

function frame(view: RunView, options: { now: number; columns?: number; rows?: number }): string {
  return renderFrame(view, {
    now: options.now,
    columns: options.columns ?? 120,
    rows: options.rows,
    spinner: '⠋',
    colors,
  });
}

describe('renderFrame', () => {
  it('says it is starting before the first event', () => {
    expect(frame(new RunView(), { now: 0 })).toBe('Starting…');
  });

  it('shows the running phase with a row per task, and later phases folded', () => {
    const { script, view } = started();
    const lines = frame(view, { now: script.time + 50 }).split('\n');

    expect(lines[0]).toBe('Content Pipeline  2 phases · 0/3 tasks done · 250ms');
    expect(lines[1]).toBe('⠋ 1/2 Research  parallel · 0/2 done · 250ms');
    expect(lines[2]).toMatch(
      /^ {2}⠋ market_research\s+researcher {2}1 attempt\s+250ms {2}AI tools are growing fast$/,
    );
    expect(lines[3]).toMatch(/^ {2}· technical_research\s+waiting$/);
    expect(lines[4]).toBe('· 2/2 Writing  sequential · 1 task');
    expect(lines).toHaveLength(5);
  });

  it('shows a retry with its attempt, the wait and the error', () => {
    const { script, view } = started();
    view.apply(
      script.emit({
        type: 'task:retry',
        taskId: 'market_research',
        attempt: 2,
        delayMs: 600,
        error: { name: 'ProviderError', message: 'overloaded', status: 503 },
      }),
    );
    const row = frame(view, { now: script.time + 200 }).split('\n')[2];
    expect(row).toMatch(
      /^ {2}↻ market_research\s+researcher {2}2 attempts .* retry in 400ms: overloaded$/,
    );
  });

  it('keeps every line within the terminal width, cutting the streamed snippet', () => {
    const { script, view } = started();
    view.apply(
      script.emit({ type: 'task:delta', taskId: 'market_research', text: ' word'.repeat(50) }),
    );
    const text = frame(view, { now: script.time, columns: 80 });
    for (const line of text.split('\n')) expect(Array.from(line).length).toBeLessThan(80);
    expect(text).toMatch(/ {2}…[a-z ]*word word$/m);
  });

  it('folds the task rows that do not fit the terminal height into a count', () => {
    const script = new EventScript();
    const view = new RunView();
    const taskIds = Array.from({ length: 20 }, (_, index) => `context_${index}`);
    view.apply(
      script.emit({
        type: 'run:start',
        workflowName: 'Wide',
        totalTasks: 20,
        phases: [{ name: 'Fan out', executionMode: 'parallel', taskIds }],
      }),
    );
    view.apply(script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Fan out' }));
    view.apply(
      script.emit({
        type: 'task:start',
        taskId: 'context_19',
        phaseIndex: 0,
        contextName: 'context_19',
        profile: 'p',
        prompt: 'x',
      }),
    );
    const lines = frame(view, { now: script.time, rows: 10 }).split('\n');
    expect(lines.length).toBeLessThanOrEqual(9);
    // The task in flight is kept over the waiting ones.
    expect(lines.some((line) => line.includes('⠋ context_19'))).toBe(true);
    expect(lines.at(-1)).toBe('    … 14 more tasks');
  });

  it('ends with the phases folded, failed tasks listed and the summary', () => {
    const { script, view } = started();
    const feed = (...events: ReturnType<EventScript['emit']>[]) => {
      for (const event of events) view.apply(event);
    };
    feed(
      script.emit({
        type: 'task:end',
        taskId: 'market_research',
        status: 'succeeded',
        response: 'AI tools are growing fast',
        attempts: 1,
        durationMs: 300,
      }),
      script.emit({
        type: 'task:start',
        taskId: 'technical_research',
        phaseIndex: 0,
        contextName: 'technical_research',
        profile: 'researcher',
        prompt: 'x',
      }),
      script.emit(
        {
          type: 'task:end',
          taskId: 'technical_research',
          status: 'failed',
          error: { name: 'ProviderError', message: 'Injected failure' },
          attempts: 3,
          durationMs: 1500,
        },
        1500,
      ),
      script.emit({ type: 'phase:end', phaseIndex: 0, phaseName: 'Research', status: 'failed' }),
      script.emit({ type: 'phase:start', phaseIndex: 1, phaseName: 'Writing' }),
      script.emit({
        type: 'task:start',
        taskId: 'content_writer',
        phaseIndex: 1,
        contextName: 'content_writer',
        profile: 'writer',
        prompt: 'x',
      }),
      script.emit(
        {
          type: 'task:end',
          taskId: 'content_writer',
          status: 'succeeded',
          response: 'A post',
          attempts: 1,
          durationMs: 200,
        },
        200,
      ),
      script.emit({ type: 'phase:end', phaseIndex: 1, phaseName: 'Writing', status: 'succeeded' }),
      script.emit({
        type: 'run:end',
        status: 'failed',
        result: resultOf([
          {
            name: 'Research',
            results: [
              succeeded('market_research', 'researcher', 'AI tools are growing fast'),
              failed('technical_research', 'researcher', 'Injected failure'),
            ],
          },
          { name: 'Writing', results: [succeeded('content_writer', 'writer', 'A post')] },
        ]),
      }),
    );

    const lines = frame(view, { now: script.time + 10_000 }).split('\n');
    expect(lines[0]).toBe('Content Pipeline  2 phases · 3/3 tasks done · 2.3s');
    expect(lines[1]).toBe('✖ 1/2 Research  parallel · 1 succeeded, 1 failed · 1.7s');
    expect(lines[2]).toMatch(
      /^ {2}✖ technical_research\s+researcher {2}3 attempts\s+1\.5s {2}Injected failure$/,
    );
    expect(lines[3]).toBe('✔ 2/2 Writing  sequential · 1 succeeded · 200ms');
    expect(lines.slice(4)).toEqual([
      '',
      '✖ Run failed in 2.3s',
      '  Tasks   2 succeeded · 1 failed · 0 skipped · 0 cancelled',
      '  Tokens  1,234 (812 in, 422 out)',
    ]);
  });

  it('labels every row by task id, whether the task started or not', () => {
    const script = new EventScript();
    const view = new RunView();
    const feed = (...events: ReturnType<EventScript['emit']>[]) => {
      for (const event of events) view.apply(event);
    };
    feed(
      script.emit({
        type: 'run:start',
        workflowName: 'Cancelled',
        totalTasks: 3,
        phases: [{ name: 'Fan out', executionMode: 'parallel', taskIds: ['a', 'a-2', 'a-3'] }],
      }),
      script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Fan out' }),
      ...['a', 'a-2'].map((taskId) =>
        script.emit({
          type: 'task:start',
          taskId,
          phaseIndex: 0,
          contextName: 'a',
          profile: 'p',
          prompt: 'x',
        }),
      ),
    );
    const rows = frame(view, { now: script.time }).split('\n').slice(2, 5);
    expect(rows[0]).toMatch(/^ {2}⠋ a {4}p {13}1 attempt /);
    expect(rows[1]).toMatch(/^ {2}⠋ a-2 {2}p, context a {2}1 attempt /);
    expect(rows[2]).toMatch(/^ {2}· a-3 {2}\s+waiting$/);
  });

  it('counts cancelled and skipped tasks apart from the tasks done', () => {
    const { script, view } = started();
    const cancelled = (taskId: string, attempts: number) =>
      script.emit({
        type: 'task:end',
        taskId,
        status: 'cancelled',
        error: { name: 'RunCancelledError', message: 'The run was cancelled: interrupted' },
        attempts,
        durationMs: 0,
      });
    for (const event of [
      script.emit({
        type: 'task:end',
        taskId: 'market_research',
        status: 'succeeded',
        response: 'AI tools are growing fast',
        attempts: 1,
        durationMs: 300,
      }),
      cancelled('technical_research', 0),
    ]) {
      view.apply(event);
    }
    // The phase has not ended yet: its line counts the same way.
    expect(frame(view, { now: script.time }).split('\n').slice(0, 2)).toEqual([
      'Content Pipeline  2 phases · 1/3 tasks done · 1 cancelled · 200ms',
      '⠋ 1/2 Research  parallel · 1/2 done · 1 cancelled · 200ms',
    ]);
    for (const event of [
      script.emit({ type: 'phase:end', phaseIndex: 0, phaseName: 'Research', status: 'cancelled' }),
      script.emit({ type: 'phase:start', phaseIndex: 1, phaseName: 'Writing' }),
      cancelled('content_writer', 0),
      script.emit({ type: 'phase:end', phaseIndex: 1, phaseName: 'Writing', status: 'cancelled' }),
    ]) {
      view.apply(event);
    }
    expect(frame(view, { now: script.time }).split('\n')[0]).toBe(
      'Content Pipeline  2 phases · 1/3 tasks done · 2 cancelled · 200ms',
    );
  });

  it('counts the time a resumed run ran, not the time it was stopped', () => {
    const { script, view } = started();
    // The first session's last event was 200ms after its start; the resume comes an hour later.
    view.apply(
      script.emit(
        {
          type: 'run:resume',
          workflowName: 'Content Pipeline',
          recoveredTaskIds: [],
          interruptedTaskIds: ['market_research'],
          recoveredContexts: [],
        },
        3_600_000,
      ),
    );
    expect(frame(view, { now: script.time + 500 }).split('\n')[0]).toBe(
      'Content Pipeline  2 phases · 0/3 tasks done · 700ms',
    );
  });

  it('shows a notice under the phases', () => {
    const { script, view } = started();
    const text = renderFrame(view, {
      now: script.time,
      columns: 100,
      spinner: '⠋',
      colors,
      notice: 'cancelling the run',
    });
    expect(text.split('\n').at(-1)).toBe('! cancelling the run');
  });
});
