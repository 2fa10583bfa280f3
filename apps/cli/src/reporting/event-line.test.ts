import type { RunEvent } from '@multi-context/events';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { formatEventLine } from './event-line.js';
import { clockTime } from './format-time.js';

const plain = pc.createColors(false);
const time = new Date(2026, 10, 24, 9, 2, 13, 204).getTime();
const base = { runId: 'r1', time };

/** The part after seq, time and type. */
function details(event: RunEvent): string {
  const line = formatEventLine(event, plain);
  const head = `${String(event.seq).padStart(4)}  ${clockTime(time, true)}  ${event.type}`;
  expect(line.startsWith(head)).toBe(true);
  // Details start in the same column whatever the type.
  expect(line.slice(0, 4 + 2 + 12 + 2 + 15 + 2).trimEnd()).toBe(head);
  return line.slice(4 + 2 + 12 + 2 + 15 + 2);
}

describe('formatEventLine', () => {
  it('shows seq, local time with milliseconds, type, and what each event says', () => {
    expect(clockTime(time, true)).toBe('09:02:13.204');
    const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
    const result = {
      runId: 'r1',
      workflowName: 'W',
      success: true,
      status: 'succeeded' as const,
      phases: [],
      totalTasks: 2,
      successfulTasks: 2,
      failedTasks: 0,
      usage,
      contextUsage: {},
      durationMs: 4_230,
    };
    const cases: [RunEvent, string][] = [
      [
        {
          ...base,
          seq: 0,
          type: 'run:start',
          workflowName: 'W',
          totalTasks: 2,
          phases: [{ name: 'P', executionMode: 'parallel', taskIds: ['a', 'b'] }],
        },
        'W: 1 phase, 2 tasks',
      ],
      [
        {
          ...base,
          seq: 1,
          type: 'run:resume',
          workflowName: 'W',
          recoveredTaskIds: ['a'],
          interruptedTaskIds: ['b'],
          recoveredContexts: ['c'],
        },
        'W: 1 task kept, 1 interrupted to run again',
      ],
      [{ ...base, seq: 2, type: 'phase:start', phaseIndex: 0, phaseName: 'P' }, '[1] P'],
      [
        {
          ...base,
          seq: 3,
          type: 'task:start',
          taskId: 'b',
          phaseIndex: 0,
          contextName: 'c',
          profile: 'writer',
          prompt: 'Write\n  about tides',
        },
        'b in c (writer): "Write about tides"',
      ],
      [{ ...base, seq: 4, type: 'task:delta', taskId: 'b', text: 'Tides ' }, 'b "Tides"'],
      [
        {
          ...base,
          seq: 5,
          type: 'task:retry',
          taskId: 'b',
          attempt: 2,
          delayMs: 1_000,
          error: { name: 'ProviderError', message: 'HTTP 429\nslow down' },
        },
        'b attempt 2 in 1.0s, after: HTTP 429 slow down',
      ],
      [
        {
          ...base,
          seq: 6,
          type: 'context:message',
          contextName: 'c',
          taskId: 'b',
          message: { role: 'assistant', content: 'x'.repeat(80) },
        },
        `c + assistant: "${'x'.repeat(59)}…"`,
      ],
      [
        { ...base, seq: 7, type: 'context:trim', contextName: 'c', removed: 2, remaining: 48 },
        'c removed 2, 48 remain',
      ],
      [
        {
          ...base,
          seq: 8,
          type: 'task:end',
          taskId: 'b',
          status: 'succeeded',
          response: 'Tides',
          attempts: 2,
          usage,
          durationMs: 312,
        },
        'b succeeded, 2 attempts, 312ms, 15 tokens',
      ],
      [
        {
          ...base,
          seq: 8,
          type: 'task:end',
          taskId: 'c',
          status: 'succeeded',
          response: 'Tides',
          attempts: 1,
          usage: {
            inputTokens: 12,
            cacheReadTokens: 900,
            cacheWriteTokens: 40,
            outputTokens: 30,
            totalTokens: 982,
          },
          durationMs: 312,
        },
        'c succeeded, 1 attempt, 312ms, 982 tokens (900 cache read)',
      ],
      [
        {
          ...base,
          seq: 9,
          type: 'task:end',
          taskId: 'a',
          status: 'failed',
          error: { name: 'ProviderError', message: 'HTTP 500' },
          attempts: 3,
          durationMs: 1_500,
        },
        'a failed, 3 attempts, 1.5s: ProviderError: HTTP 500',
      ],
      [
        {
          ...base,
          seq: 10,
          type: 'task:end',
          taskId: 'z',
          status: 'skipped',
          error: { name: 'TaskSkippedError', message: 'Skipped: task "a" failed' },
          attempts: 0,
          durationMs: 0,
        },
        'z skipped: TaskSkippedError: Skipped: task "a" failed',
      ],
      [
        { ...base, seq: 11, type: 'phase:end', phaseIndex: 0, phaseName: 'P', status: 'failed' },
        '[1] P failed',
      ],
      [{ ...base, seq: 12, type: 'run:end', status: 'succeeded', result }, 'succeeded in 4.2s'],
    ];
    for (const [event, expected] of cases) expect(details(event), event.type).toBe(expected);
  });
});
