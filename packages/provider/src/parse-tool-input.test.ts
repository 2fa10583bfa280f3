import { describe, expect, it } from 'vitest';
import { parseToolInput } from './index.js';

describe('parseToolInput', () => {
  it('parses JSON arguments, whatever their value', () => {
    expect(parseToolInput('{"a":2,"b":3}')).toEqual({ a: 2, b: 3 });
    expect(parseToolInput(' {"nested":{"list":[1,"x",null]}} ')).toEqual({
      nested: { list: [1, 'x', null] },
    });
    // Valid JSON that is not an object is still the model's input: the schema check refuses it.
    expect(parseToolInput('[1,2]')).toEqual([1, 2]);
    expect(parseToolInput('42')).toBe(42);
    expect(parseToolInput('"text"')).toBe('text');
  });

  it('makes no arguments, or only whitespace, an empty input', () => {
    expect(parseToolInput('')).toEqual({});
    expect(parseToolInput('  \n\t')).toEqual({});
  });

  it('passes text that is not JSON on unchanged, for the host to answer', () => {
    expect(parseToolInput('{"a":2,"b":')).toBe('{"a":2,"b":');
    expect(parseToolInput('{a: 2, b: 3}')).toBe('{a: 2, b: 3}');
    expect(parseToolInput(' not json ')).toBe(' not json ');
  });
});
