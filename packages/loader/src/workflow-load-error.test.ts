import { describe, expect, it } from 'vitest';
import { parseWorkflow, WorkflowLoadError } from './index.js';
import { loadError } from './test-helpers.js';

describe('WorkflowLoadError', () => {
  it('has the formatted first issue and a count of the rest as its message', async () => {
    const text = 'name: Demo\nphase: []\nconfig: {max_context_history: -1}\n';
    const error = await loadError(() => parseWorkflow(text, { source: 'demo.yaml' }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WorkflowLoadError');
    expect(error.issues).toHaveLength(3);
    expect(error.message).toBe(
      [
        'demo.yaml:1:1: missing required key "phases" in workflow',
        '    1 | name: Demo',
        '      | ^',
        '(and 2 more issues)',
      ].join('\n'),
    );
  });

  it('formats every issue with its source line', async () => {
    const error = await loadError(() =>
      parseWorkflow('name: Demo\nphase: []\n', { source: 'demo.yaml' }),
    );
    expect(error.format()).toBe(
      [
        'demo.yaml:1:1: missing required key "phases" in workflow',
        '    1 | name: Demo',
        '      | ^',
        '',
        'demo.yaml:2:1: unknown key "phase" in workflow; did you mean "phases"?',
        '    2 | phase: []',
        '      | ^',
      ].join('\n'),
    );
  });

  it('is recognised across copies of the package by its Symbol.for marker', () => {
    const error = new WorkflowLoadError([
      { message: 'x', path: [], line: 1, column: 1, code: 'test' },
    ]);
    expect(WorkflowLoadError.isInstance(error)).toBe(true);
    const foreign = { [Symbol.for('multi-context.error.WorkflowLoadError')]: true };
    expect(WorkflowLoadError.isInstance(foreign)).toBe(true);
    expect(WorkflowLoadError.isInstance(new Error('x'))).toBe(false);
    expect(WorkflowLoadError.isInstance(undefined)).toBe(false);
  });
});
