/** Generators of YAML texts for the tests of the loader's fast paths (not exported by the package). */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { fixtures, fixtureText } from './test-helpers.js';

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

/** Broken and odd texts: random pieces of YAML, alone, under a key, or spliced into the shared fixtures. */
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
