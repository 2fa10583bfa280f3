import { describe, expect, it } from 'vitest';
import { estimateTokenizer, o200kTokenizer } from './index.js';

describe('o200kTokenizer', () => {
  it.each([
    ['', 0],
    ['hello world', 2],
    ['Hello, world!', 4],
    ['The quick brown fox jumps over the lazy dog.', 10],
    ['What is the capital of France?', 7],
    ['こんにちは世界', 2],
  ])('counts %j as %i tokens of o200k_base', (text, tokens) => {
    expect(o200kTokenizer.count(text)).toBe(tokens);
  });

  it('counts special-token text typed by a user as plain text instead of refusing it', () => {
    expect(o200kTokenizer.count('<|endoftext|>')).toBe(7);
  });

  it('is named after its encoding', () => {
    expect(o200kTokenizer.name).toBe('o200k_base');
  });
});

describe('estimateTokenizer', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['hello world', 3],
    ['x'.repeat(400), 100],
  ])('estimates %j as ceil(chars / 4) = %i', (text, tokens) => {
    expect(estimateTokenizer.count(text)).toBe(tokens);
  });

  it('is named estimate', () => {
    expect(estimateTokenizer.name).toBe('estimate');
  });
});
