import { checkWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { formatIssues, locateIssues, parseWorkflow } from './index.js';

describe('locateIssues', () => {
  it('places the issues of checkWorkflow for validate --strict', () => {
    const text = `name: Demo\ndefault_profile: general\nphases:\n  - name: One\n    tasks:\n      - {context_name: a, prompt: A, profile: writr}\n`;
    const workflow = parseWorkflow(text);
    const issues = locateIssues(text, checkWorkflow(workflow, { definedProfiles: ['writer'] }), {
      source: 'w.yaml',
    });
    expect(issues).toEqual([
      {
        message: 'profile "general" is not defined (defined: "writer")',
        path: ['default_profile'],
        line: 2,
        column: 18,
        source: 'w.yaml',
        code: 'undefined_profile',
      },
      {
        message: 'profile "writr" is not defined; did you mean "writer"?',
        path: ['phases', 0, 'tasks', 0, 'profile'],
        line: 6,
        column: 47,
        source: 'w.yaml',
        code: 'undefined_profile',
      },
    ]);
    expect(formatIssues(issues, text).split('\n').slice(-3)).toEqual([
      'w.yaml:6:47: profile "writr" is not defined; did you mean "writer"?',
      '    6 |       - {context_name: a, prompt: A, profile: writr}',
      `      | ${' '.repeat(46)}^`,
    ]);
  });

  it('puts issues at line 1, column 1 of a text that is not YAML', () => {
    expect(locateIssues('a: [', [{ path: ['x'], message: 'm', code: 'c' }])).toEqual([
      { message: 'm', path: ['x'], line: 1, column: 1, code: 'c' },
    ]);
  });
});
