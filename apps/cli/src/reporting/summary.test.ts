import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { failed, resultOf, succeeded } from '../../test/run-events.js';
import { countStatuses, responseLines, summaryLines } from './summary.js';

const colors = pc.createColors(false);

describe('summary', () => {
  it('counts every status and sums the tokens', () => {
    const result = resultOf([
      { name: 'A', results: [succeeded('a', 'p', 'yes'), failed('b', 'p', 'no')] },
    ]);
    expect(countStatuses(result)).toEqual({ succeeded: 1, failed: 1, skipped: 0, cancelled: 0 });
    expect(summaryLines(result, colors)).toEqual([
      '✖ Run failed in 2.3s',
      '  Tasks   1 succeeded · 1 failed · 0 skipped · 0 cancelled',
      '  Tokens  1,234 (812 in, 422 out)',
    ]);
  });

  it('shows a cost only when the profiles have prices', () => {
    const result = resultOf([{ name: 'A', results: [succeeded('a', 'p', 'yes')] }], {
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cost: 0.0123 },
    });
    expect(summaryLines(result, colors).at(-1)).toBe(
      '  Tokens  15 (10 in, 5 out), cost 0.0123 USD',
    );
  });

  it('says when the budget stopped the run', () => {
    const message =
      "the run's cost 2.0000 USD reached its budget of 2.0000 USD: no new task started";
    const result = resultOf([{ name: 'A', results: [succeeded('a', 'p', 'yes')] }], {
      status: 'cancelled',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cost: 2, currency: 'USD' },
      reason: { kind: 'budget', message, maxCost: 2, cost: 2, currency: 'USD', hard: false },
    });
    expect(summaryLines(result, colors).slice(-2)).toEqual([
      '  Tokens  15 (10 in, 5 out), cost 2.0000 USD',
      `  Budget  ${message}`,
    ]);
  });

  it('shows the prompt-cache reads and writes of the run', () => {
    const result = resultOf([{ name: 'A', results: [succeeded('a', 'p', 'yes')] }], {
      usage: {
        inputTokens: 1000,
        cacheReadTokens: 9000,
        cacheWriteTokens: 300,
        outputTokens: 2045,
        totalTokens: 12_345,
      },
    });
    expect(summaryLines(result, colors).at(-1)).toBe(
      '  Tokens  12,345 (1,000 in, 9,000 cache read, 300 cache write, 2,045 out)',
    );
  });

  it('has no responses block when no task started', () => {
    const cancelled = {
      ...failed('a', 'p', 'The run was cancelled'),
      status: 'cancelled' as const,
      attempts: 0,
    };
    expect(responseLines(resultOf([{ name: 'A', results: [cancelled] }]), colors)).toEqual([]);
  });

  it('keeps the line breaks of a response and says why the others have none', () => {
    const cancelled = {
      ...failed('c', 'p', 'The run was cancelled: interrupted'),
      status: 'cancelled' as const,
      attempts: 1,
    };
    const lines = responseLines(
      resultOf([
        {
          name: 'A',
          results: [succeeded('a', 'p', 'one\n\ntwo'), failed('b', 'p', 'boom'), cancelled],
        },
      ]),
      colors,
    );
    expect(lines).toEqual([
      'Responses',
      '',
      '[phase 1/1] A',
      '  ✔ a (p)',
      '    one',
      '',
      '    two',
      '',
      '  ✖ b (p): failed: boom',
      '  ⊘ c (p): cancelled',
      '',
    ]);
  });

  it('labels a task by its id, with its context beside it when they differ', () => {
    const again = { ...succeeded('brief', 'writer', 'Shorter.'), taskId: 'brief-2' };
    const lines = responseLines(
      resultOf([{ name: 'Draft', results: [succeeded('brief', 'writer', 'Long.'), again] }]),
      colors,
    );
    expect(lines.filter((line) => line.startsWith('  ✔'))).toEqual([
      '  ✔ brief (writer)',
      '  ✔ brief-2 (writer, context brief)',
    ]);
  });
});
