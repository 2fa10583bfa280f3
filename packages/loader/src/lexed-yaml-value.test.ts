import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexedYamlValue } from './lexed-yaml-value.js';
import { fixtures, fixtureText, fullYamlValue } from './test-helpers.js';
import { brokenYaml, styledYaml, yamlLines } from './yaml-arbitraries.js';

/** The lexed path's promise: when it gives a value, the full path gives the same one, without issues. */
function expectAgreement(text: string): void {
  const lexed = lexedYamlValue(text);
  if (lexed === undefined) return;
  const reference = fullYamlValue(text);
  expect(reference, `the full path refuses ${JSON.stringify(text)}`).toBeDefined();
  expect(lexed.value, JSON.stringify(text)).toStrictEqual(reference!.value);
}

describe('lexedYamlValue: the fastest path', () => {
  it.each([
    ['the shared example workflow', fixtureText(fixtures.example)],
    ['the shared README workflow', fixtureText(fixtures.seedReadme)],
    ['block mappings and lists', 'a:\n  b: 1\n  c:\n    - x\n    - - y\n      - z\nd: e\n'],
    ['lists at the indentation of their key', 'a:\n- x\n- y: 1\n  z: 2\nb:\n  c:\n  - 3\n'],
    ['mappings in list items', '- a: 1\n  b:\n    - c\n-   d: 2\n    e: 3\n'],
    ['values below a list item', '-\n  a: 1\n- # note\n  - b\n'],
    [
      'flow collections',
      'a: { b: 1, c: [x, "y", { d: ~ }], }\ne: []\nf: {}\ng: [1, 2, ]\nh: [ ]\n',
    ],
    ['JSON on one line', '{"a":1, "b": [true, null, "c"]}\n'],
    ['a flow collection as the root', '{ a: 1, b: [2] }'],
    ['a list as the root', '- 1\n- a: b\n'],
    ['an indented root', '  a: 1\n  b: 2\n'],
    [
      'scalars of every core type',
      'i: 12\nh: 0x1F\no: 0o17\nf: 1.50\ne: 1e400\nn: .nan\ninf: -.inf\nt: True\nf2: FALSE\nz: null\nt2: ~\ns: "1"\nq: \'true\'\n',
    ],
    ['keys of every core type', '1: a\n~: b\ntrue: c\n0x10: d\n1.0e2: e\n"x y": f\n\'g\': h\n'],
    ['an empty key', "'': a\n"],
    ['quoted scalars with escapes', 'a: "\\t\\u00e9\\x41 \\"q\\""\nb: \'it\'\'s\'\n'],
    ['multi-line scalars', 'a: one\n  two\n\n  three\nb: "x\n  y"\nc: \'p\n\n  q\'\n'],
    [
      'block scalars',
      'a: |\n  line 1\n\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\ne: | # why\n    deep\n',
    ],
    ['block scalars in lists', '- |\n x\n- a: >\n    y\n  b: |-\n    z\n- |'],
    ['an empty block scalar', 'a: |\nb: >-\n\nc: 1\n'],
    [
      'comments everywhere',
      '# head\n\na: 1 # one\n# between\nb:\n  # inside\n  - x # x\n  # after\n   # odd\n# tail\n',
    ],
    ['a document start marker', '--- # doc\na: 1\n'],
    ['comments before the document', ' # lead\n\n---\n- a\n'],
    ['CRLF line breaks', 'a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\nc: |\r\n  t\r\n\r\n  u\r\n'],
    ['spaces before a colon', 'a : 1\nb  :\n  c : 2\n'],
    ['trailing spaces', 'a: 1  \nb:   \n  - x \n'],
    ['unicode', 'é: "😀"\n\u2028: x\n'],
    ['no final line break', 'a:\n  - b'],
  ])('reads %s as the full path does', (_, text) => {
    expect(lexedYamlValue(text)).toBeDefined();
    expectAgreement(text);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'd: { a: 1 }\ne:\n  <<: { b: 2 }\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an unknown tag', 'a: !foo 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key after resolution', '1: a\n0x1: b\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['a __proto__ key', 'a:\n  __proto__: { polluted: true }\n'],
    ['a quoted __proto__ key', '"__proto__": 1\n'],
    ['an empty value', 'a:\nb: 1\n'],
    ['an empty value at the end', 'a: 1\nb:'],
    ['an empty list item', 'a:\n  -\n  - x\n'],
    ['a flow key without a value', 'a: { b }\n'],
    ['a flow key with an empty value', 'a: { b: }\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a complex key', '[a]: 1\n'],
    ['a flow collection as a key', 'a:\n  - [b]: 1\n'],
    ['a pair in a flow list', 'a: [b: 1]\n'],
    ['a scalar root', 'just text\n'],
    ['a scalar below its key', 'a:\n  text\n'],
    ['a flow collection below its key', 'a:\n  [1, 2]\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a comment in a flow collection', 'a: [1, # one\n  2]\n'],
    ['a list on the line of its key', 'a: - x\n'],
    ['an empty text', ''],
    ['only comments', '# nothing\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['content on the document start line', '--- a: 1\n'],
    ['a tab as indentation', 'a:\n\t- x\n'],
    ['a tab after a colon', 'a:\tx\n'],
    ['a tab in a block scalar', 'a: |\n  \tx\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   x\n'],
    ['a block scalar with leading blank lines', 'a: |\n\n  x\n'],
    ['a syntax error', 'a: [1, 2\nb: 3\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a list item out of line', 'a:\n  - x\n - y\n'],
    ['a key after a list at the same indentation', '- x\nb: 1\n'],
    ['a mapping on the line of its key', 'a: b: c\n'],
    ['a comment without a space before it', 'a: "x"#c\n'],
    ['a scalar right after a quoted one', "a: 'x'y\n"],
    ['a bad escape', 'a: "\\q"\n'],
    ['a reserved character', 'a: @x\n'],
    ['a missing comma', 'a: { b: 1 c: 2 }\n'],
    ['a leading comma', 'a: [, 1]\n'],
    ['an empty item in a flow list', 'a: [1, , 2]\n'],
    ['an implicit key over 1000 characters', `${'k'.repeat(1001)}: 1\n`],
    ['a multi-line implicit key', '"a\n  b": 1\n'],
    ['a multi-line plain key', 'a: b\n c: d\n'],
    ['a control character', 'a: "\x01"\n'],
    ['a carriage return alone', 'a: 1\rb: 2\n'],
    ['a tab before the document', '\t# c\na: 1\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
    ['nesting deeper than 64 levels', `${'['.repeat(65)}${']'.repeat(65)}\n`],
    ['block nesting deeper than 64 levels', `${'- '.repeat(65)}x\n`],
  ])('leaves %s to the other paths', (_, text) => {
    expect(lexedYamlValue(text)).toBeUndefined();
  });

  it('reads nesting of exactly 64 levels, flow and block', () => {
    for (const text of [`${'['.repeat(64)}${']'.repeat(64)}\n`, `${'- '.repeat(63)}[x]\n`]) {
      expect(lexedYamlValue(text), text).toBeDefined();
      expectAgreement(text);
    }
  });

  it('agrees with the full path on YAML written in every style', () => {
    fc.assert(fc.property(styledYaml, expectAgreement), { numRuns: 1000 });
  });

  it('agrees with the full path on lines of keys, items and values at any indentation', () => {
    fc.assert(fc.property(yamlLines, expectAgreement), { numRuns: 3000 });
  });

  it('agrees with the full path on broken and odd texts, errors included', () => {
    fc.assert(fc.property(brokenYaml, expectAgreement), { numRuns: 3000 });
  });
});
