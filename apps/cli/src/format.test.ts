import { describe, expect, it } from 'vitest';
import { formatDuration, formatUsage, oneLine, plural, tail, truncate } from './format.js';

describe('format helpers', () => {
  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(312.4)).toBe('312ms');
    expect(formatDuration(4_230)).toBe('4.2s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });

  it('counts nouns', () => {
    expect(plural(1, 'attempt')).toBe('1 attempt');
    expect(plural(3, 'attempt')).toBe('3 attempts');
  });

  it('formats usage, with a cost only when there is one', () => {
    expect(formatUsage({ inputTokens: 812, outputTokens: 422, totalTokens: 1234 })).toBe(
      '1,234 (812 in, 422 out)',
    );
    expect(formatUsage({ inputTokens: 1, outputTokens: 1, totalTokens: 2, cost: 0.5 })).toBe(
      '2 (1 in, 1 out), cost 0.5000',
    );
  });

  it('cuts text to a width, at either end', () => {
    expect(oneLine(' a\n  b\tc ')).toBe('a b c');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(tail('abcdef', 4)).toBe('…def');
  });
});
