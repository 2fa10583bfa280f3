import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatUsage,
  oneLine,
  plural,
  tail,
  truncate,
  wrapText,
} from './format.js';

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
    expect(
      formatUsage({ inputTokens: 1, outputTokens: 1, totalTokens: 2, cost: 0.5, currency: 'EUR' }),
    ).toBe('2 (1 in, 1 out), cost 0.5000 EUR');
    // A usage recorded before currencies existed: its prices were US dollars.
    expect(formatUsage({ inputTokens: 1, outputTokens: 1, totalTokens: 2, cost: 0.5 })).toBe(
      '2 (1 in, 1 out), cost 0.5000 USD',
    );
  });

  it('counts prompt-cache reads and writes apart from the other input, when they are reported', () => {
    expect(
      formatUsage({
        inputTokens: 1000,
        cacheReadTokens: 9000,
        cacheWriteTokens: 300,
        outputTokens: 2045,
        totalTokens: 12_345,
      }),
    ).toBe('12,345 (1,000 in, 9,000 cache read, 300 cache write, 2,045 out)');
    // OpenAI reports reads only; a provider that reports 0 shows 0.
    expect(
      formatUsage({ inputTokens: 10, cacheReadTokens: 0, outputTokens: 5, totalTokens: 15 }),
    ).toBe('15 (10 in, 0 cache read, 5 out)');
  });

  it('wraps a line at spaces, cutting only words longer than the width', () => {
    expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapText('short', 10)).toEqual(['short']);
    expect(wrapText('', 10)).toEqual(['']);
    expect(wrapText('abcdefghijkl mn', 5)).toEqual(['abcde', 'fghij', 'kl mn']);
    // A line's indentation is kept on the lines it wraps to.
    expect(wrapText('  - one two three', 10)).toEqual(['  - one', '  two', '  three']);
  });

  it('cuts text to a width, at either end', () => {
    expect(oneLine(' a\n  b\tc ')).toBe('a b c');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(tail('abcdef', 4)).toBe('…def');
  });
});
