import type { Workflow } from '@multi-context/workflow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkflow, WorkflowLoadError } from './index.js';
import { fixtures, fixtureText } from './test-helpers.js';

type Mutation = (lines: string[]) => string[];

/** Characters that mean something to YAML, plus some that should not be in a file at all. */
const noise = fc.string({
  unit: fc.constantFrom(...':-[]{}#&*!|>\'"%@`,? \t\n\r\\x0é€😀\u0000\u0085\u2028\ufeff'),
  minLength: 1,
  maxLength: 8,
});
const value = fc.oneof(
  fc.constantFrom(
    '-1',
    '[]',
    '{}',
    '',
    '~',
    '*a',
    '&a x',
    'paralel',
    '"',
    '1e400',
    '.nan',
    '!!binary x',
    '[[[',
    '{a: 1, a: 2}',
    '__proto__: 1',
    '|',
    '>-',
  ),
  noise,
);
const index = fc.nat({ max: 200 });

const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  index.map((i) => (lines: string[]) => lines.filter((_, at) => at !== i % lines.length)),
  index.map((i) => (lines: string[]) => {
    const at = i % lines.length;
    return [...lines.slice(0, at + 1), lines[at]!, ...lines.slice(at + 1)];
  }),
  fc.tuple(index, index).map(([i, j]) => (lines: string[]) => {
    const copy = [...lines];
    const a = i % copy.length;
    const b = j % copy.length;
    [copy[a], copy[b]] = [copy[b]!, copy[a]!];
    return copy;
  }),
  fc.tuple(index, index, noise).map(([i, column, text]) => (lines: string[]) => {
    const copy = [...lines];
    const at = i % copy.length;
    const line = copy[at]!;
    const split = column % (line.length + 1);
    copy[at] = line.slice(0, split) + text + line.slice(split);
    return copy;
  }),
  fc.tuple(index, value).map(
    ([i, replacement]) =>
      (lines: string[]) =>
        lines.map((line, at) =>
          at === i % lines.length && line.includes(': ')
            ? `${line.slice(0, line.indexOf(': ') + 2)}${replacement}`
            : line,
        ),
  ),
  fc.tuple(index, fc.integer({ min: -4, max: 4 })).map(
    ([i, shift]) =>
      (lines: string[]) =>
        lines.map((line, at) =>
          at !== i % lines.length
            ? line
            : shift >= 0
              ? ' '.repeat(shift) + line
              : line.replace(new RegExp(`^ {0,${-shift}}`), ''),
        ),
  ),
  index.map((i) => (lines: string[]) => {
    const text = lines.join('\n');
    return text.slice(0, (i * 37) % (text.length + 1)).split('\n');
  }),
);

/** Every mutation leaves a file without lines as it is. */
const mutation = anyMutation.map(
  (mutate): Mutation =>
    (lines) =>
      lines.length === 0 ? lines : mutate(lines),
);

function outcome(text: string): Workflow | WorkflowLoadError {
  try {
    return parseWorkflow(text, { source: 'mutated.yaml' });
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) return error;
    throw error;
  }
}

describe.each([
  ['example_workflow.yaml', fixtures.example],
  ['seed_readme_workflow.yaml', fixtures.seedReadme],
])('parseWorkflow on mutations of %s', (_, url) => {
  const original = fixtureText(url).split('\n');

  it('gives a Workflow or a WorkflowLoadError with positions, and never hangs', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const text = mutations.reduce((lines, mutate) => mutate(lines), original).join('\n');
        const started = performance.now();
        const result = outcome(text);
        expect(performance.now() - started).toBeLessThan(1000);
        if (WorkflowLoadError.isInstance(result)) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.column).toBeGreaterThanOrEqual(1);
            expect(issue.source).toBe('mutated.yaml');
            expect(issue.code).not.toBe('internal_error');
          }
          expect(typeof result.format()).toBe('string');
        } else {
          const ids = result.phases.flatMap((phase) => phase.tasks.map((task) => task.id));
          expect(new Set(ids).size).toBe(ids.length);
          expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseWorkflow on arbitrary text', () => {
  it('never throws anything but a WorkflowLoadError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const result = outcome(text);
        if (WorkflowLoadError.isInstance(result)) {
          for (const issue of result.issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.column).toBeGreaterThanOrEqual(1);
            expect(issue.code).not.toBe('internal_error');
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
