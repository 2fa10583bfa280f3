import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_HISTORY, ExecutionContext } from './index.js';

describe('ExecutionContext', () => {
  it('keeps its name and the default limit of 50', () => {
    const context = new ExecutionContext('notes');
    expect(context.name).toBe('notes');
    expect(context.maxHistory).toBe(DEFAULT_MAX_HISTORY);
    expect(DEFAULT_MAX_HISTORY).toBe(50);
    expect(context.size).toBe(0);
    expect(context.getHistory()).toEqual([]);
  });

  it('appends messages oldest first and returns 0 while not full', () => {
    const context = new ExecutionContext('notes', { maxHistory: 3 });
    expect(context.addMessage('system', 'be brief')).toBe(0);
    expect(context.addMessage('user', 'hello')).toBe(0);
    expect(context.addMessage('assistant', 'hi')).toBe(0);
    expect(context.size).toBe(3);
    expect(context.getHistory()).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi' },
    ]);
  });

  it('trims to the newest maxHistory messages and reports how many it trimmed', () => {
    const context = new ExecutionContext('notes', { maxHistory: 2 });
    context.addMessage('user', 'one');
    context.addMessage('assistant', 'two');
    expect(context.addMessage('user', 'three')).toBe(1);
    expect(context.addMessage('assistant', 'four')).toBe(1);
    expect(context.size).toBe(2);
    expect(context.getHistory()).toEqual([
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'four' },
    ]);
  });

  it('keeps the newest messages across many compactions', () => {
    const context = new ExecutionContext('notes', { maxHistory: 5 });
    let trimmed = 0;
    for (let i = 0; i < 1000; i += 1) trimmed += context.addMessage('user', String(i));
    expect(trimmed).toBe(995);
    expect(context.getHistory().map((message) => message.content)).toEqual([
      '995',
      '996',
      '997',
      '998',
      '999',
    ]);
  });

  it('keeps nothing with maxHistory 0 and reports every message as trimmed', () => {
    const context = new ExecutionContext('void', { maxHistory: 0 });
    expect(context.addMessage('user', 'hello')).toBe(1);
    expect(context.size).toBe(0);
    expect(context.getHistory()).toEqual([]);
  });

  it('keeps everything with maxHistory Infinity', () => {
    const context = new ExecutionContext('all', { maxHistory: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 500; i += 1) expect(context.addMessage('user', String(i))).toBe(0);
    expect(context.size).toBe(500);
  });

  it('returns a copy that the caller may change without touching the context', () => {
    const context = new ExecutionContext('notes');
    context.addMessage('user', 'hello');
    const history = context.getHistory();
    history[0]!.content = 'changed';
    history.push({ role: 'assistant', content: 'injected' });
    expect(context.getHistory()).toEqual([{ role: 'user', content: 'hello' }]);
    expect(context.getHistory()).not.toBe(context.getHistory());
  });

  it('clears the history and starts again', () => {
    const context = new ExecutionContext('notes', { maxHistory: 2 });
    context.addMessage('user', 'one');
    context.addMessage('user', 'two');
    context.addMessage('user', 'three');
    context.clearHistory();
    expect(context.size).toBe(0);
    expect(context.getHistory()).toEqual([]);
    expect(context.addMessage('user', 'four')).toBe(0);
    expect(context.getHistory()).toEqual([{ role: 'user', content: 'four' }]);
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    ['10', '"10"'],
  ])('rejects maxHistory %s with a RangeError that names it', (value, shown) => {
    expect(() => new ExecutionContext('bad', { maxHistory: value as number })).toThrow(RangeError);
    expect(() => new ExecutionContext('bad', { maxHistory: value as number })).toThrow(
      `maxHistory must be a non-negative integer or Infinity, got ${shown}.`,
    );
  });

  it('rejects an unknown role and non-string content', () => {
    const context = new ExecutionContext('notes');
    expect(() => context.addMessage('robot' as 'user', 'x')).toThrow(
      'role must be "system", "user", "assistant" or "tool", got "robot".',
    );
    expect(() => context.addMessage('tool', 'x')).toThrow(/needs details.toolCallId/);
    expect(() => context.addMessage('user', 42 as unknown as string)).toThrow(
      'content must be a string, got 42.',
    );
    expect(context.size).toBe(0);
  });
});
