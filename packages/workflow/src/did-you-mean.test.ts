import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';

const phaseKeys = ['name', 'execution_mode', 'tasks'];

describe('didYouMean', () => {
  it.each([
    ['executon_mode', 'execution_mode'],
    ['exection_mode', 'execution_mode'],
    ['executionMode', 'execution_mode'],
    ['EXECUTION-MODE', 'execution_mode'],
    ['nmae', 'name'],
    ['task', 'tasks'],
  ])('suggests %s -> %s', (input, expected) => {
    expect(didYouMean(input, phaseKeys)).toBe(expected);
  });

  it('suggests the closest of several options', () => {
    expect(didYouMean('paralel', ['sequential', 'parallel'])).toBe('parallel');
    expect(didYouMean('sequental', ['sequential', 'parallel'])).toBe('sequential');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('retries', phaseKeys)).toBeUndefined();
    expect(didYouMean('mode', phaseKeys)).toBeUndefined();
    expect(didYouMean('x'.repeat(100000), phaseKeys)).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});
