import { describe, expect, it } from 'vitest';
import { createSuggester, didYouMean } from './did-you-mean.js';

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

describe('didYouMean on names of providers and schema kinds', () => {
  it('finds a likely typo, in any case, and nothing for a name that is far off', () => {
    const names = ['openai', 'anthropic', 'mock'];
    expect(didYouMean('opnai', names)).toBe('openai');
    expect(didYouMean('OpenAI', names)).toBe('openai');
    expect(didYouMean('antropic', names)).toBe('anthropic');
    expect(didYouMean('mok', names)).toBe('mock');
    expect(didYouMean('ollama', names)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
    expect(didYouMean('profils', ['workflow', 'profiles'])).toBe('profiles');
  });
});

describe('createSuggester', () => {
  it('suggests like didYouMean, and remembers its answers', () => {
    const suggest = createSuggester(['market_research', 'plan', 'draft']);
    expect(suggest('market_reserch')).toBe('market_research');
    expect(suggest('Market-Research')).toBe('market_research');
    expect(suggest('nothing')).toBeUndefined();
    expect(suggest('drat')).toBe('draft');
  });

  it('stops fuzzy searches after a budget, keeping case and separator matches', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `task_${i}`);
    const suggest = createSuggester(ids, 20_000);
    expect(suggest('tsak_1')).toBe('task_1');
    expect(suggest('tsak_2')).toBe('task_2');
    expect(suggest('tsak_3')).toBeUndefined();
    expect(suggest('TASK-3')).toBe('task_3');
  });
});
