import type { Workflow } from '@multi-context/workflow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadIssue } from './load-issue.js';
import { sortIssues, targetOf } from './parse-document.js';
import { parseWorkflow, WORKFLOW_FILE } from './parse-workflow.js';
import { fixtures, fixtureText } from './test-helpers.js';
import { WorkflowLoadError } from './workflow-load-error.js';
import { parseYamlDocument } from './yaml/parse-yaml-document.js';

/** What the loader gave before its fast path: always the full path (Composer, checks, positions). */
function fullPath(text: string): Workflow | LoadIssue[] {
  const document = parseYamlDocument(text, { source: 'w.yaml', expected: WORKFLOW_FILE.expected });
  if (!document.ok) return document.issues;
  const result = WORKFLOW_FILE.validate(document.value);
  if (result.success) return result.value;
  return sortIssues(result.issues.map((issue) => document.locate(issue, targetOf(issue.code))));
}

function outcome(text: string): Workflow | LoadIssue[] {
  try {
    return parseWorkflow(text, { source: 'w.yaml' });
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) return error.issues;
    throw error;
  }
}

describe('parseDocument: the fast path and the full path', () => {
  const bases = [fixtureText(fixtures.example), fixtureText(fixtures.seedReadme)];

  it.each(bases.map((text, index) => [index, text]))(
    'give the same workflow for fixture %i',
    (_, text) => {
      expect(outcome(text)).toStrictEqual(fullPath(text));
    },
  );

  it('give the same workflow, or the same issues at the same places, for edited fixtures', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 6 }),
      fc.constantFrom(
        '',
        'x',
        ' ',
        '\n',
        ': ',
        '- ',
        '  ',
        '{{ outputs.nope }}',
        'executon_mode: parallel\n    ',
        'id: dup\n        ',
        '"',
        '&a ',
        '*a',
        '#',
      ),
    );
    const text = fc
      .tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([base, edits]) =>
        edits.reduce((current, [at, remove, insert]) => {
          const cut = at % (current.length + 1);
          return current.slice(0, cut) + insert + current.slice(cut + remove);
        }, base),
      );
    fc.assert(
      fc.property(text, (edited) => {
        expect(outcome(edited)).toStrictEqual(fullPath(edited));
      }),
      { numRuns: 500 },
    );
  });
});
