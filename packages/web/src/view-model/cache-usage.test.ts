import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { formatUsageParts } from '../page/format.js';
import { describeHit } from '../page/timeline-hit.js';
import { RunViewBuilder } from './run-view-builder.js';

const base = { runId: 'r', time: 1_000 };

/** A run with two tasks that report prompt-cache reads and writes, as an Anthropic profile does. */
function cachedRun(): RunEvent[] {
  const end = (seq: number, taskId: string, read: number, write: number): RunEvent => ({
    ...base,
    seq,
    type: 'task:end',
    taskId,
    status: 'succeeded',
    response: 'ok',
    attempts: 1,
    usage: {
      inputTokens: 10,
      cacheReadTokens: read,
      cacheWriteTokens: write,
      outputTokens: 5,
      totalTokens: 15 + read + write,
    },
    durationMs: 20,
  });
  const start = (seq: number, taskId: string): RunEvent => ({
    ...base,
    seq,
    type: 'task:start',
    taskId,
    phaseIndex: 0,
    contextName: 'book',
    profile: 'reviewer',
    prompt: 'Review.',
  });
  return [
    {
      ...base,
      seq: 0,
      type: 'run:start',
      workflowName: 'w',
      totalTasks: 2,
      phases: [{ name: 'p', executionMode: 'sequential', taskIds: ['a', 'b'] }],
    },
    { ...base, seq: 1, type: 'phase:start', phaseIndex: 0, phaseName: 'p' },
    start(2, 'a'),
    end(3, 'a', 0, 3000),
    start(4, 'b'),
    end(5, 'b', 3000, 200),
  ] as RunEvent[];
}

describe('prompt-cache tokens in the run view', () => {
  it('sums cache reads and writes apart in the totals', () => {
    const builder = new RunViewBuilder();
    for (const event of cachedRun()) builder.add(event);
    expect(builder.view.totals.usage).toEqual({
      inputTokens: 20,
      cacheReadTokens: 3000,
      cacheWriteTokens: 3200,
      outputTokens: 10,
      totalTokens: 6230,
    });
    expect(formatUsageParts(builder.view.totals.usage)).toBe(
      '20 in · 3,000 cache read · 3,200 cache write · 10 out',
    );
  });

  it('shows no cache counts for a provider that reports none', () => {
    expect(formatUsageParts({ inputTokens: 1234, outputTokens: 5 }, ', ')).toBe('1,234 in, 5 out');
  });

  it('says in a task tooltip how much of its tokens the cache served', () => {
    const builder = new RunViewBuilder();
    for (const event of cachedRun()) builder.add(event);
    const lines = describeHit({ kind: 'task', task: builder.task('b')! }, 2_000);
    expect(lines).toContain('3,215 tokens (3,000 cache read)');
    const first = describeHit({ kind: 'task', task: builder.task('a')! }, 2_000);
    expect(first).toContain('3,015 tokens');
  });
});
