import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlDocument } from './parse-yaml-document.js';
import { simpleYamlValue } from './simple-yaml-value.js';
import { fixtures, fixtureText } from './test-helpers.js';
import { parseYamlTokens } from './yaml-tokens.js';

function fast(text: string): { value: unknown } | undefined {
  return simpleYamlValue(parseYamlTokens(text).tokens);
}

/** The value of the full path (Composer, checks, conversion), or undefined when it finds issues. */
function full(text: string): { value: unknown } | undefined {
  const document = parseYamlDocument(text, { expected: 'a document' });
  return document.ok ? { value: document.value } : undefined;
}

/** The fast path's promise: when it gives a value, the full path gives the same one, without issues. */
function expectAgreement(text: string): void {
  const simple = fast(text);
  if (simple === undefined) return;
  const reference = full(text);
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
    const leaf = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1', '0x1F', '.5', '-.inf', 'true', 'null', '~', '<<', '__proto__', ''),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      flowCollectionPadding: fc.boolean(),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      indent: fc.integer({ min: 1, max: 4 }),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    fc.assert(
      fc.property(value, options, (data, style) => expectAgreement(stringify(data, style))),
      { numRuns: 1000 },
    );
  });

  it('agrees with the full path on lines of keys, items and values at any indentation', () => {
    const head = fc.constantFrom(
      '',
      '- ',
      '- - ',
      'k: ',
      'k:',
      'j: ',
      '"q": ',
      "'s': ",
      'k : ',
      '1: ',
    );
    const body = fc.constantFrom(
      '',
      'v',
      'v # c',
      'v#c',
      '"a\\q"',
      "'b''c'",
      '{ a: 1',
      'b: 2 }',
      '[1,',
      '2]',
      '{ a: [1, {b: 2}], c: "d" }',
      '|',
      '>-',
      '# c',
      '0x1F',
      '"multi',
      'line"',
      ',',
      'k: v',
      '&a v',
      '*a',
      '\t',
    );
    const line = fc
      .tuple(fc.nat({ max: 6 }), head, body, fc.constantFrom('', ' ', ' # t', '\t'))
      .map(([indent, key, value, tail]) => ' '.repeat(indent) + key + value + tail);
    const text = fc
      .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'))
      .map(([lines, newline]) => lines.join(newline) + newline);
    fc.assert(fc.property(text, expectAgreement), { numRuns: 3000 });
  });

  it('agrees with the full path on broken and odd texts, errors included', () => {
    const pieces = fc.constantFrom(
      ':',
      ': ',
      '- ',
      '-',
      '[',
      ']',
      '{',
      '}',
      ',',
      '#',
      ' #',
      '&a ',
      '*a',
      '!!str ',
      '? ',
      '|',
      '>',
      '"',
      "'",
      '\\',
      '---',
      '...',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      'a',
      'b',
      '1',
      '0x1',
      '~',
      'é',
      '__proto__',
      '<<',
    );
    const random = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));
    const bases = [fixtureText(fixtures.example), fixtureText(fixtures.seedReadme)];
    const mutated = fc
      .tuple(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), random)))
      .map(([base, edits]) =>
        edits.reduce((text, [at, remove, insert]) => {
          const cut = at % (text.length + 1);
          return text.slice(0, cut) + insert + text.slice(cut + remove);
        }, base),
      );
    // Under a key, so that the root is a mapping and the walk goes past the root.
    const nested = random.map((text) => `key:\n  ${text}\nnext: 1\n`);
    fc.assert(fc.property(fc.oneof(random, nested, mutated), expectAgreement), { numRuns: 3000 });
  });
});
