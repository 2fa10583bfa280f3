import { describe, expect, it } from 'vitest';
import { estimateTokens, estimateUsage } from './estimate-tokens.js';

describe('estimateTokens', () => {
  it('counts one token per four characters, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});

describe('estimateUsage', () => {
  it('counts all messages as one text for the input and the reply for the output', () => {
    const usage = estimateUsage(
      [
        { role: 'system', content: 'abc' }, // 3
        { role: 'user', content: 'defgh' }, // 5 -> 8 characters: 2 tokens, not 1 + 2
      ],
      'a reply of 18 char',
    );
    expect(usage).toEqual({ inputTokens: 2, outputTokens: 5, totalTokens: 7 });
  });
});
