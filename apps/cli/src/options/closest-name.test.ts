import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name.js';

describe('closestName', () => {
  it('finds a likely typo, in any case, and nothing for a name that is far off', () => {
    const names = ['openai', 'anthropic', 'mock'];
    expect(closestName('opnai', names)).toBe('openai');
    expect(closestName('OpenAI', names)).toBe('openai');
    expect(closestName('antropic', names)).toBe('anthropic');
    expect(closestName('mok', names)).toBe('mock');
    expect(closestName('ollama', names)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
