/**
 * YAML texts for the tests of the loader's fast path, named samples and
 * generators, and the agreement it promises with the full path (not
 * exported by the package).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixtures, fixtureText, fullYamlValue } from '../test-helpers.js';

/** A fast path: the value of a text, or undefined for a text it leaves to the others. */
type FastPath = (text: string) => { value: unknown } | undefined;

/** Texts the fast path reads, each as [what it is, text]. */
export const READ_BY_FAST_PATH: [string, string][] = [
  ['the four-phase example workflow fixture', fixtureText(fixtures.example)],
  ['the shared README workflow', fixtureText(fixtures.seedReadme)],
  ['block mappings and lists', 'a:\n  b: 1\n  c:\n    - x\n    - - y\n      - z\nd: e\n'],
  ['flow collections', 'a: { b: 1, c: [x, "y", { d: ~ }], }\ne: []\nf: {}\ng: [1, 2, ]\n'],
  ['a flow collection as the root', '{ a: 1, b: [2] }'],
  ['a list as the root', '- 1\n- a: b\n'],
  [
    'scalars of every core type',
    'i: 12\nh: 0x1F\no: 0o17\nf: 1.50\ne: 1e400\nn: .nan\ninf: -.inf\nt: True\nf2: FALSE\nz: null\nt2: ~\ns: "1"\nq: \'true\'\n',
  ],
  ['keys of every core type', '1: a\n~: b\ntrue: c\n0x10: d\n1.0e2: e\n"x y": f\n\'g\': h\n'],
  ['quoted scalars with escapes', 'a: "\\t\\u00e9\\x41 \\"q\\""\nb: \'it\'\'s\'\n'],
  ['multi-line scalars', 'a: one\n  two\n\n  three\nb: "x\n  y"\n'],
  ['block scalars', 'a: |\n  line 1\n\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n'],
  [
    'comments everywhere',
    '# head\n\na: 1 # one\n# between\nb:\n  # inside\n  - x # x\n  # after\n# tail\n',
  ],
  ['a document start marker', '--- # doc\na: 1\n'],
  ['CRLF line breaks', 'a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\n'],
  ['spaces before a colon', 'a : 1\nb  :\n  c : 2\n'],
  ['unicode', 'é: "😀"\n\u2028: x\n'],
];

/** Texts the fast path leaves to the full path, each as [what it is, text]. */
export const DECLINED_BY_FAST_PATH: [string, string][] = [
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
];

/**
 * The promise of a fast path: when it gives a value, the full path gives
 * the same one, without issues.
 */
export function expectAgreement(read: FastPath, text: string): void {
  const fast = read(text);
  if (fast === undefined) return;
  const reference = fullYamlValue(text);
  expect(reference, `the full path refuses ${JSON.stringify(text)}`).toBeDefined();
  expect(fast.value, JSON.stringify(text)).toStrictEqual(reference!.value);
}

/** The property tests of that promise, on every generator below. */
export function itAgreesWithTheFullPath(read: FastPath): void {
  const agrees = (text: string) => expectAgreement(read, text);
  it('agrees with the full path on YAML written in every style', () => {
    fc.assert(fc.property(styledYaml, agrees), { numRuns: 1000 });
  });
  it('agrees with the full path on lines of keys, items and values at any indentation', () => {
    fc.assert(fc.property(yamlLines, agrees), { numRuns: 3000 });
  });
  it('agrees with the full path on broken and odd texts, errors included', () => {
    fc.assert(fc.property(brokenYaml, agrees), { numRuns: 3000 });
  });
}

/** Values of every shape, written by yaml's own `stringify` in every style it has. */
export const styledYaml: fc.Arbitrary<string> = (() => {
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
  return fc.tuple(value, options).map(([data, style]) => stringify(data, style));
})();

/** Lines of keys, list items and values, well-formed or not, at any indentation. */
export const yamlLines: fc.Arbitrary<string> = (() => {
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
  return text;
})();

/** Broken and odd texts: random pieces of YAML, alone, under a key, or spliced into the fixtures. */
export const brokenYaml: fc.Arbitrary<string> = (() => {
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
  return fc.oneof(random, nested, mutated);
})();
