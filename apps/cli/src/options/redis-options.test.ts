import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseRedisTimeout, parseRedisUrl } from './redis-options.js';

describe('--redis-timeout', () => {
  it('takes a duration, or a bare number of milliseconds', () => {
    expect(parseRedisTimeout('30s')).toBe(30_000);
    expect(parseRedisTimeout('2m')).toBe(120_000);
    expect(parseRedisTimeout('1500')).toBe(1_500);
  });

  it.each(['500ms', '0', 'soon', '-5s', ''])('refuses %j with what it expects', (value) => {
    expect(() => parseRedisTimeout(value)).toThrow(InvalidArgumentError);
    expect(() => parseRedisTimeout(value)).toThrow('expected a duration of 1s or more');
  });
});

describe('--redis', () => {
  it('takes redis:// and rediss:// URLs only', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(parseRedisUrl('rediss://cache.internal:6380')).toBe('rediss://cache.internal:6380');
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow('redis:// or rediss://');
    expect(() => parseRedisUrl('127.0.0.1:6379')).toThrow(InvalidArgumentError);
  });
});
