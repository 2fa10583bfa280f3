import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { EventScript, failed, resultOf, succeeded } from '../../test/run-events.js';
import { PlainReporter } from './plain-reporter.js';

function collector() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

function playRun(options: { progress: boolean; responses: boolean }) {
  const out = collector();
  const err = collector();
  const reporter = new PlainReporter({ out, err, colors: pc.createColors(false), ...options });
  const script = new EventScript();
  const events = [
    script.emit({
      type: 'run:start',
      workflowName: 'Pipeline',
      totalTasks: 3,
      phases: [
        { name: 'Research', executionMode: 'parallel', taskIds: ['market_research', 'tech'] },
        { name: 'Writing', executionMode: 'sequential', taskIds: ['writer'] },
      ],
    }),
    script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Research' }),
    script.emit({
      type: 'task:start',
      taskId: 'market_research',
      phaseIndex: 0,
      contextName: 'market_research',
      profile: 'researcher',
      prompt: 'x',
    }),
    script.emit({
      type: 'task:start',
      taskId: 'tech',
      phaseIndex: 0,
      contextName: 'tech',
      profile: 'researcher',
      prompt: 'x',
    }),
    script.emit({ type: 'task:delta', taskId: 'market_research', text: 'Trends' }),
    script.emit({
      type: 'task:retry',
      taskId: 'tech',
      attempt: 2,
      delayMs: 500,
      error: { name: 'ProviderError', message: 'Injected failure' },
    }),
    script.emit(
      {
        type: 'task:end',
        taskId: 'market_research',
        status: 'succeeded',
        response: 'Trends',
        attempts: 1,
        durationMs: 312,
      },
      312,
    ),
    script.emit(
      {
        type: 'task:end',
        taskId: 'tech',
        status: 'failed',
        error: { name: 'ProviderError', message: 'Injected failure' },
        attempts: 3,
        durationMs: 1500,
      },
      1200,
    ),
    script.emit({ type: 'phase:end', phaseIndex: 0, phaseName: 'Research', status: 'failed' }),
    script.emit({ type: 'phase:start', phaseIndex: 1, phaseName: 'Writing' }),
    script.emit({
      type: 'task:end',
      taskId: 'writer',
      status: 'skipped',
      error: { name: 'TaskSkippedError', message: 'Skipped: task "tech" failed' },
      attempts: 0,
      durationMs: 0,
    }),
    script.emit({ type: 'phase:end', phaseIndex: 1, phaseName: 'Writing', status: 'skipped' }),
    script.emit({
      type: 'run:end',
      status: 'failed',
      result: resultOf([
        {
          name: 'Research',
          results: [
            succeeded('market_research', 'researcher', 'Trends'),
            failed('tech', 'researcher', 'Injected failure'),
          ],
        },
        {
          name: 'Writing',
          results: [{ ...failed('writer', 'writer', 'Skipped'), status: 'skipped', attempts: 0 }],
        },
      ]),
    }),
  ];
  for (const event of events) reporter.event(event);
  return { out: out.text(), err: err.text(), reporter };
}

describe('PlainReporter', () => {
  it('prints a line per phase start and end, task end and retry, then responses and the summary', () => {
    const { out, err } = playRun({ progress: true, responses: true });
    expect(err).toBe('');
    expect(out).toBe(
      [
        'Pipeline: 2 phases, 3 tasks',
        '[phase 1/2] Research (parallel, 2 tasks)',
        '  ↻ tech (researcher) attempt 2 in 500ms, after: Injected failure',
        '  ✔ market_research (researcher) 1 attempt 312ms',
        '  ✖ tech (researcher) failed 3 attempts 1.5s: Injected failure',
        '[phase 1/2] Research failed in 1.5s',
        '[phase 2/2] Writing (sequential, 1 task)',
        '  ↷ writer Skipped: task "tech" failed',
        '[phase 2/2] Writing skipped in 0ms',
        '',
        'Responses',
        '',
        '[phase 1/2] Research',
        '  ✔ market_research (researcher)',
        '    Trends',
        '',
        '  ✖ tech (researcher): failed: Injected failure',
        '',
        '[phase 2/2] Writing (1 task skipped)',
        '',
        '✖ Run failed in 2.3s',
        '  Tasks   1 succeeded · 1 failed · 1 skipped · 0 cancelled',
        '  Tokens  1,234 (812 in, 422 out)',
        '',
      ].join('\n'),
    );
  });

  it('prints only the summary when quiet', () => {
    const { out } = playRun({ progress: false, responses: false });
    expect(out).toBe(
      [
        '',
        '✖ Run failed in 2.3s',
        '  Tasks   1 succeeded · 1 failed · 1 skipped · 0 cancelled',
        '  Tokens  1,234 (812 in, 422 out)',
        '',
      ].join('\n'),
    );
  });

  it('labels a task by its id, with its context beside it when they differ', () => {
    const out = collector();
    const reporter = new PlainReporter({
      out,
      err: collector(),
      colors: pc.createColors(false),
      progress: true,
      responses: false,
    });
    const script = new EventScript();
    const start = (taskId: string) =>
      script.emit({
        type: 'task:start',
        taskId,
        phaseIndex: 0,
        contextName: 'brief',
        profile: 'writer',
        prompt: 'x',
      });
    const end = (taskId: string) =>
      script.emit({ type: 'task:end', taskId, status: 'succeeded', attempts: 1, durationMs: 5 });
    const events = [
      script.emit({
        type: 'run:start',
        workflowName: 'Drafts',
        totalTasks: 3,
        phases: [
          { name: 'Draft', executionMode: 'sequential', taskIds: ['brief', 'brief-2', 'brief-3'] },
        ],
      }),
      start('brief'),
      end('brief'),
      start('brief-2'),
      end('brief-2'),
      script.emit({
        type: 'task:end',
        taskId: 'brief-3',
        status: 'cancelled',
        error: { name: 'RunCancelledError', message: 'The run was cancelled' },
        attempts: 0,
        durationMs: 0,
      }),
    ];
    for (const event of events) reporter.event(event);
    expect(out.text().split('\n').slice(1, 4)).toEqual([
      '  ✔ brief (writer) 1 attempt 5ms',
      '  ✔ brief-2 (writer, context brief) 1 attempt 5ms',
      '  ⊘ brief-3 cancelled before it started',
    ]);
  });

  it('prints what a resumed run runs, each phase once, and not what its journal recorded', () => {
    const out = collector();
    const reporter = new PlainReporter({
      out,
      err: collector(),
      colors: pc.createColors(false),
      progress: true,
      responses: false,
    });
    const script = new EventScript();
    const start = (taskId: string, phaseIndex: number) =>
      script.emit({
        type: 'task:start',
        taskId,
        phaseIndex,
        contextName: taskId,
        profile: 'p',
        prompt: 'x',
      });
    const end = (taskId: string) =>
      script.emit({ type: 'task:end', taskId, status: 'succeeded', attempts: 1, durationMs: 5 });
    // What the journal recorded: the process died while "c" ran.
    const recorded = [
      script.emit({
        type: 'run:start',
        workflowName: 'Pipeline',
        totalTasks: 3,
        phases: [
          { name: 'Research', executionMode: 'parallel', taskIds: ['a'] },
          { name: 'Writing', executionMode: 'sequential', taskIds: ['b', 'c'] },
        ],
      }),
      script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Research' }),
      start('a', 0),
      end('a'),
      script.emit({ type: 'phase:end', phaseIndex: 0, phaseName: 'Research', status: 'succeeded' }),
      script.emit({ type: 'phase:start', phaseIndex: 1, phaseName: 'Writing' }),
      start('b', 1),
      end('b'),
      start('c', 1),
    ];
    for (const event of recorded) reporter.history(event);
    const resumed = [
      script.emit({
        type: 'run:resume',
        workflowName: 'Pipeline',
        recoveredTaskIds: ['a', 'b'],
        interruptedTaskIds: ['c'],
        recoveredContexts: ['a', 'b'],
      }),
      script.emit({ type: 'phase:start', phaseIndex: 1, phaseName: 'Writing' }),
      start('c', 1),
      end('c'),
      script.emit({ type: 'phase:end', phaseIndex: 1, phaseName: 'Writing', status: 'succeeded' }),
    ];
    for (const event of resumed) reporter.event(event);
    expect(out.text()).toBe(
      [
        'Pipeline: resumed, 2 of 3 tasks kept, 1 to run',
        '[phase 2/2] Writing (sequential, 2 tasks, 1 kept)',
        '  ✔ c (p) 1 attempt 5ms',
        '[phase 2/2] Writing succeeded in 0ms',
        '',
      ].join('\n'),
    );
  });

  it('wraps the responses to the width it is given, and keeps them whole without one', () => {
    const text = 'Every role keeps its own conversation, so a long workflow stays easy to follow.';
    const play = (width: number | undefined) => {
      const out = collector();
      const reporter = new PlainReporter({
        out,
        err: collector(),
        colors: pc.createColors(false),
        progress: false,
        responses: true,
        width,
      });
      const script = new EventScript();
      reporter.event(
        script.emit({
          type: 'run:end',
          status: 'succeeded',
          result: resultOf([{ name: 'Draft', results: [succeeded('brief', 'writer', text)] }]),
        }),
      );
      return out.text().split('\n');
    };
    expect(play(40).slice(4, 8)).toEqual([
      '  ✔ brief (writer)',
      '    Every role keeps its own',
      '    conversation, so a long workflow',
      '    stays easy to follow.',
    ]);
    expect(play(undefined)[5]).toBe(`    ${text}`);
  });

  it('sends notices to stderr', () => {
    const out = collector();
    const err = collector();
    const reporter = new PlainReporter({
      out,
      err,
      colors: pc.createColors(false),
      progress: true,
      responses: true,
    });
    reporter.notice('interrupted');
    expect(err.text()).toBe('multi-context: interrupted\n');
    expect(out.text()).toBe('');
  });
});
