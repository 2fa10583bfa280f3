import { describe, expect, it } from 'vitest';
import { ScriptQueue } from './script-queue.js';

describe('ScriptQueue', () => {
  it('hands out replies in order per context, then repeats the last', () => {
    const queue = new ScriptQueue({ a: ['a1', 'a2'], b: 'b1' });
    expect(queue.next('a', true)).toBe('a1');
    expect(queue.next('b', true)).toBe('b1');
    expect(queue.next('a', true)).toBe('a2');
    expect(queue.next('a', true)).toBe('a2');
    expect(queue.next('b', true)).toBe('b1');
  });

  it('lets a peek leave the reply next in line', () => {
    const queue = new ScriptQueue({ a: ['a1', 'a2'] });
    expect(queue.next('a', false)).toBe('a1');
    expect(queue.next('a', true)).toBe('a1');
    expect(queue.next('a', true)).toBe('a2');
  });

  it('knows nothing of unscripted contexts, empty lists or inherited keys', () => {
    const queue = new ScriptQueue({ a: [] });
    expect(queue.next('a', true)).toBeUndefined();
    expect(queue.next('other', true)).toBeUndefined();
    expect(queue.next('toString', true)).toBeUndefined();
  });

  it('copies the script, so later edits to it change nothing', () => {
    const replies = ['one'];
    const queue = new ScriptQueue({ a: replies });
    replies[0] = 'changed';
    replies.push('two');
    expect(queue.next('a', true)).toBe('one');
    expect(queue.next('a', true)).toBe('one');
  });
});
