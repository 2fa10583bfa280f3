import { describe, expect, it } from 'vitest';
import { simpleYamlValue } from './simple-yaml-value.js';
import {
  DECLINED_BY_FAST_PATH,
  expectAgreement,
  itAgreesWithTheFullPath,
  READ_BY_FAST_PATH,
} from './yaml-samples.js';
import { parseYamlTokens } from './yaml-tokens.js';

function fast(text: string): { value: unknown } | undefined {
  return simpleYamlValue(parseYamlTokens(text).tokens);
}

describe('simpleYamlValue: the fast path', () => {
  it.each([
    ...READ_BY_FAST_PATH,
    ['multi-line flow collections', 'a: {\n  b: 1,\n  c: [x,\n    y]\n  }\n'],
    ['lists at the indentation of their key', 'a:\n- x\n- y: 1\n  z: 2\nb:\n  c:\n  - 3\n'],
    ['mappings in list items', '- a: 1\n  b:\n    - c\n-   d: 2\n    e: 3\n'],
    ['values below a list item', '-\n  a: 1\n- # note\n  - b\n'],
    ['an empty flow list with a space in it', 'a: [ ]\n'],
    ['JSON on one line', '{"a":1, "b": [true, null, "c"]}\n'],
    ['an indented root', '  a: 1\n  b: 2\n'],
    ['an empty key', "'': a\n"],
    ['a single-quoted scalar over lines', "c: 'p\n\n  q'\n"],
    ['a block scalar with a comment after its header', 'e: | # why\n    deep\n'],
    ['block scalars in lists', '- |\n x\n- a: >\n    y\n  b: |-\n    z\n- |'],
    ['an empty block scalar', 'a: |\nb: >-\n\nc: 1\n'],
    ['a block scalar with CRLF line breaks', 'c: |\r\n  t\r\n\r\n  u\r\n'],
    ['a comment at an odd indentation', 'a:\n  - x\n   # odd\n  - y\n'],
    ['comments before the document', ' # lead\n\n---\n- a\n'],
    ['trailing spaces', 'a: 1  \nb:   \n  - x \n'],
    ['no final line break', 'a:\n  - b'],
    ['a scalar below its key', 'a:\n  text\n'],
    ['a flow collection below its key', 'a:\n  [1, 2]\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a comment in a flow collection', 'a: [1, # one\n  2]\n'],
    ['a tab in a block scalar', 'a: |\n  \tx\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   x\n'],
    ['a block scalar with leading blank lines', 'a: |\n\n  x\n'],
    ['an implicit key over 1000 characters', `${'k'.repeat(1001)}: 1\n`],
    ['a control character', 'a: "\x01"\n'],
    ['a tab before the document', '\t# c\na: 1\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
  ])('reads %s as the full path does', (_, text) => {
    expect(fast(text)).toBeDefined();
    expectAgreement(fast, text);
  });

  it.each([
    ...DECLINED_BY_FAST_PATH,
    ['a merge key without an alias', 'd: { a: 1 }\ne:\n  <<: { b: 2 }\n'],
    ['an empty value at the end', 'a: 1\nb:'],
    ['a flow key with an empty value', 'a: { b: }\n'],
    ['a flow collection as a key', 'a:\n  - [b]: 1\n'],
    ['a list on the line of its key', 'a: - x\n'],
    ['content on the document start line', '--- a: 1\n'],
    ['a tab after a colon', 'a:\tx\n'],
    ['a list item out of line', 'a:\n  - x\n - y\n'],
    ['a key after a list at the same indentation', '- x\nb: 1\n'],
    ['a scalar right after a quoted one', "a: 'x'y\n"],
    ['a multi-line plain key', 'a: b\n c: d\n'],
    ['a carriage return alone', 'a: 1\rb: 2\n'],
    ['block nesting deeper than 64 levels', `${'- '.repeat(65)}x\n`],
  ])('leaves %s to the full path', (_, text) => {
    expect(fast(text)).toBeUndefined();
  });

  it('reads nesting of exactly 64 levels, flow and block', () => {
    for (const text of [`${'['.repeat(64)}${']'.repeat(64)}\n`, `${'- '.repeat(63)}[x]\n`]) {
      expect(fast(text), text).toBeDefined();
      expectAgreement(fast, text);
    }
  });

  itAgreesWithTheFullPath(fast);
});
