import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simpleYamlValue } from './simple-yaml-value.js';
import { fixtures, fixtureText, fullYamlValue } from './test-helpers.js';
import { brokenYaml, styledYaml, yamlLines } from './yaml-arbitraries.js';
import { parseYamlTokens } from './yaml-tokens.js';

function fast(text: string): { value: unknown } | undefined {
  return simpleYamlValue(parseYamlTokens(text).tokens);
}

/** The fast path's promise: when it gives a value, the full path gives the same one, without issues. */
function expectAgreement(text: string): void {
  const simple = fast(text);
  if (simple === undefined) return;
  const reference = fullYamlValue(text);
  expect(reference, `the full path refuses ${JSON.stringify(text)}`).toBeDefined();
  expect(simple.value, JSON.stringify(text)).toStrictEqual(reference!.value);
}

describe('simpleYamlValue: the fast path', () => {
  it.each([
    ['the shared example workflow', fixtureText(fixtures.example)],
    ['the shared README workflow', fixtureText(fixtures.seedReadme)],
    ['block mappings and lists', 'a:\n  b: 1\n  c:\n    - x\n    - - y\n      - z\nd: e\n'],
    ['flow collections', 'a: { b: 1, c: [x, "y", { d: ~ }], }\ne: []\nf: {}\ng: [1, 2, ]\n'],
    ['multi-line flow collections', 'a: {\n  b: 1,\n  c: [x,\n    y]\n  }\n'],
    ['a flow collection as the root', '{ a: 1, b: [2] }'],
    ['a list as the root', '- 1\n- a: b\n'],
    [
      'scalars of every core type',
      'i: 12\nh: 0x1F\no: 0o17\nf: 1.50\ne: 1e400\nn: .nan\ninf: -.inf\nt: True\nf2: FALSE\nz: null\nt2: ~\ns: "1"\nq: \'true\'\n',
    ],
    ['keys of every core type', '1: a\n~: b\ntrue: c\n0x10: d\n1.0e2: e\n"x y": f\n\'g\': h\n'],
    ['quoted scalars with escapes', 'a: "\\t\\u00e9\\x41 \\"q\\""\nb: \'it\'\'s\'\n'],
    ['multi-line scalars', 'a: one\n  two\n\n  three\nb: "x\n  y"\n'],
    [
      'block scalars',
      'a: |\n  line 1\n\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n',
    ],
    [
      'comments everywhere',
      '# head\n\na: 1 # one\n# between\nb:\n  # inside\n  - x # x\n  # after\n# tail\n',
    ],
    ['a document start marker', '--- # doc\na: 1\n'],
    ['CRLF line breaks', 'a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\n'],
    ['spaces before a colon', 'a : 1\nb  :\n  c : 2\n'],
    ['unicode', 'é: "😀"\n\u2028: x\n'],
  ])('reads %s as the full path does', (_, text) => {
    expect(fast(text)).toBeDefined();
    expectAgreement(text);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'd: &d { a: 1 }\ne:\n  <<: *d\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an unknown tag', 'a: !foo 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key after resolution', '1: a\n0x1: b\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['a __proto__ key', 'a:\n  __proto__: { polluted: true }\n'],
    ['a quoted __proto__ key', '"__proto__": 1\n'],
    ['an empty value', 'a:\nb: 1\n'],
    ['an empty list item', 'a:\n  -\n  - x\n'],
    ['a flow key without a value', 'a: { b }\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a complex key', '[a]: 1\n'],
    ['a pair in a flow list', 'a: [b: 1]\n'],
    ['a scalar root', 'just text\n'],
    ['an empty text', ''],
    ['only comments', '# nothing\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a tab as indentation', 'a:\n\t- x\n'],
    ['a syntax error', 'a: [1, 2\nb: 3\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a mapping on the line of its key', 'a: b: c\n'],
    ['a comment without a space before it', 'a: "x"#c\n'],
    ['a bad escape', 'a: "\\q"\n'],
    ['a reserved character', 'a: @x\n'],
    ['a missing comma', 'a: { b: 1 c: 2 }\n'],
    ['a leading comma', 'a: [, 1]\n'],
    ['an empty item in a flow list', 'a: [1, , 2]\n'],
    ['an implicit key over 1024 characters', `${'k'.repeat(1030)}: 1\n`],
    ['a multi-line implicit key', '"a\n  b": 1\n'],
    ['nesting deeper than 64 levels', `${'['.repeat(65)}${']'.repeat(65)}\n`],
  ])('leaves %s to the full path', (_, text) => {
    expect(fast(text)).toBeUndefined();
  });

  it('reads nesting of exactly 64 levels', () => {
    const text = `${'['.repeat(64)}${']'.repeat(64)}\n`;
    expect(fast(text)).toBeDefined();
    expectAgreement(text);
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
