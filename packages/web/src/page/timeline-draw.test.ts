import { describe, expect, it } from 'vitest';
import { formatTick } from './timeline-draw.js';

describe('formatTick', () => {
  it('keeps neighbouring ticks apart at every zoom', () => {
    expect([1800, 1802, 1804].map((t) => formatTick(t, 2))).toEqual([
      '1.800 s',
      '1.802 s',
      '1.804 s',
    ]);
    expect([0, 200, 400].map((t) => formatTick(t, 200))).toEqual(['0 ms', '200 ms', '400 ms']);
    expect([0.5, 0.55].map((t) => formatTick(t, 0.05))).toEqual(['0.50 ms', '0.55 ms']);
    expect([2000, 4000].map((t) => formatTick(t, 2000))).toEqual(['2 s', '4 s']);
    expect(formatTick(120_000, 60_000)).toBe('2 min 00 s');
  });
});
