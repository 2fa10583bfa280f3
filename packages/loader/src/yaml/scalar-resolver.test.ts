import { describe, expect, it } from 'vitest';
import { keyName, ScalarResolver } from './scalar-resolver.js';

class Refused extends Error {}

const resolver = new ScalarResolver(() => {
  throw new Refused();
});

/** What `resolve` gives for a scalar token of `type` with `source`, or `refused`. */
function viaResolve(
  type: 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar',
  source: string,
  atKey: boolean,
) {
  try {
    return resolver.resolve({ type, offset: 0, indent: 0, source }, atKey).value;
  } catch (error) {
    if (error instanceof Refused) return 'refused';
    throw error;
  }
}

describe('ScalarResolver', () => {
  it.each([
    ['scalar', '0x1F', false, 31],
    ['scalar', 'Null', false, null],
    ['scalar', 'true', true, true],
    ['scalar', 'plain text', false, 'plain text'],
    ['scalar', 'one\n  two', false, 'one two'],
    ['scalar', '@reserved', false, 'refused'],
    ['single-quoted-scalar', "'it''s'", false, "it's"],
    ['double-quoted-scalar', '"a\\tb"', false, 'a\tb'],
    ['double-quoted-scalar', '"1"', false, '1'],
    ['double-quoted-scalar', '"\\q"', false, 'refused'],
    ['double-quoted-scalar', '"open', false, 'refused'],
  ] as const)('reads the %s %j as %j', (type, source, atKey, expected) => {
    expect(viaResolve(type, source, atKey)).toStrictEqual(expected);
  });
});

describe('keyName', () => {
  it('names keys as plain values do, and leaves merge, __proto__ and duplicate keys to the full path', () => {
    expect(keyName(null, true, {})).toBe('');
    expect(keyName(1, true, {})).toBe('1');
    expect(keyName('<<', true, {})).toBeUndefined();
    expect(keyName('<<', false, {})).toBe('<<');
    expect(keyName('__proto__', false, {})).toBeUndefined();
    expect(keyName('a', true, { a: 1 })).toBeUndefined();
  });
});
