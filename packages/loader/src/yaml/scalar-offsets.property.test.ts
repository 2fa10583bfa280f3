import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Scalar, stringify } from 'yaml';
import { issuesOf } from '../test-helpers.js';

const STYLES: Scalar.Type[] = [
  'PLAIN',
  'QUOTE_SINGLE',
  'QUOTE_DOUBLE',
  'BLOCK_LITERAL',
  'BLOCK_FOLDED',
];
const text = fc.string({
  unit: fc.constantFrom(
    'a',
    'b',
    ' ',
    "'",
    '"',
    '\\',
    '#',
    ':',
    '-',
    '\n',
    '\t',
    'é',
    '😀',
    '\u2028',
    '{',
    '}',
  ),
  maxLength: 30,
});

/** The offset in `source` of 1-based `line` and `column`. */
function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let n = 1; n < line; n += 1) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

describe('template issues in prompts of any YAML style', () => {
  it('point at the reference itself', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, fc.constantFrom(...STYLES), async (before, after, style) => {
        // Braces next to the reference would make another one, and a backslash before it escapes it.
        const head = before.replaceAll('{', '(').replace(/\\+$/, '');
        const prompt = `${head}{{ outputs.zz }}${after.replaceAll('{', '(')}`;
        const yaml = stringify(
          { name: 'Demo', phases: [{ name: 'One', tasks: [{ context_name: 'c', prompt }] }] },
          { defaultStringType: style, lineWidth: 0 },
        );
        const issues = await issuesOf(yaml);
        expect(issues).toHaveLength(1);
        const [line, column, message] = issues[0]!;
        expect(message).toBe('unknown task id "zz" in {{ outputs.zz }}');
        expect(yaml.slice(offsetOf(yaml, line, column)).startsWith('{{ outputs.zz }}'), yaml).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });
});
