import { describe, expect, it } from 'vitest';
import { addUsage, emptyUsage, usageSchema } from './usage.js';

describe('addUsage', () => {
  it('adds cache reads and writes apart from other input, only once a side reports them', () => {
    const total = addUsage(emptyUsage(), { inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(total).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    addUsage(total, {
      inputTokens: 4,
      outputTokens: 2,
      totalTokens: 1_106,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 100,
    });
    addUsage(total, { inputTokens: 1, outputTokens: 1, totalTokens: 302, cacheReadTokens: 300 });
    expect(total).toEqual({
      inputTokens: 15,
      outputTokens: 8,
      totalTokens: 1_423,
      cacheReadTokens: 1_300,
      cacheWriteTokens: 100,
    });
    expect(usageSchema.parse(total)).toEqual(total);
  });
});

describe('addUsage with costs', () => {
  it('sums costs and keeps their currency, and leaves both out when no side has a cost', () => {
    const total = addUsage(emptyUsage(), { inputTokens: 1, outputTokens: 1, totalTokens: 2 });
    expect(total).not.toHaveProperty('currency');
    addUsage(total, {
      inputTokens: 1,
      outputTokens: 1,
      totalTokens: 2,
      cost: 0.25,
      currency: 'EUR',
    });
    addUsage(total, {
      inputTokens: 1,
      outputTokens: 1,
      totalTokens: 2,
      cost: 0.5,
      currency: 'EUR',
    });
    expect(total).toMatchObject({ cost: 0.75, currency: 'EUR' });
  });

  it('reads a usage recorded before currencies existed', () => {
    const old = { inputTokens: 1, outputTokens: 1, totalTokens: 2, cost: 0.1 };
    expect(usageSchema.parse(old)).toEqual(old);
  });
});
