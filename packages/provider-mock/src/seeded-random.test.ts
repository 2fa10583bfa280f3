import { describe, expect, it } from 'vitest';
import { createRandom, drawFor, hashString } from './seeded-random.js';

describe('hashString', () => {
  it('is the FNV-1a hash', () => {
    // Reference values of 32-bit FNV-1a.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});

describe('createRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const first = createRandom(42);
    const again = createRandom(42);
    const other = createRandom(43);
    const a = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, again)).toEqual(a);
    expect(Array.from({ length: 5 }, other)).not.toEqual(a);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = createRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]!++;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(900);
  });
});

describe('drawFor', () => {
  it('depends on the seed and the key only', () => {
    expect(drawFor(1, 'task-1')).toBe(drawFor(1, 'task-1'));
    expect(drawFor(1, 'task-1')).not.toBe(drawFor(2, 'task-1'));
    expect(drawFor(1, 'task-1')).not.toBe(drawFor(1, 'task-2'));
  });
});
