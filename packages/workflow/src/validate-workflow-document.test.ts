import { describe, expect, it } from 'vitest';
import { validateWorkflowDocument, type Workflow, type WorkflowIssueDraft } from './index.js';
import { minimalDocument, seedReadmeDocument } from './test-documents.js';

function workflowOf(raw: unknown): Workflow {
  const result = validateWorkflowDocument(raw);
  if (!result.success) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.workflow;
}

function issuesOf(raw: unknown): WorkflowIssueDraft[] {
  const result = validateWorkflowDocument(raw);
  if (result.success) throw new Error('expected issues');
  return result.issues;
}

describe('validateWorkflowDocument', () => {
  it('turns a snake_case document into the camelCase model', () => {
    expect(workflowOf(seedReadmeDocument())).toEqual({
      name: 'Content Creation Pipeline',
      description: 'Research, create, and review content',
      defaultProfile: 'general-assistant',
      phases: [
        {
          name: 'Research Phase',
          executionMode: 'parallel',
          tasks: [
            {
              id: 'market_research',
              contextName: 'market_research',
              profile: 'researcher',
              prompt: 'Research trends',
              dependsOn: [],
            },
            {
              id: 'technical_research',
              contextName: 'technical_research',
              profile: 'researcher',
              prompt: 'Research approaches',
              dependsOn: [],
            },
          ],
        },
        {
          name: 'Content Creation',
          executionMode: 'sequential',
          tasks: [
            {
              id: 'content_writer',
              contextName: 'content_writer',
              profile: 'writer',
              prompt: 'Draft blog post',
              dependsOn: [],
            },
            {
              id: 'technical_writer',
              contextName: 'technical_writer',
              profile: 'writer',
              prompt: 'Create docs',
              dependsOn: [],
            },
          ],
        },
      ],
      config: { maxContextHistory: 50, continueOnError: true },
    });
  });

  it('fills in the defaults and leaves out absent optional keys', () => {
    const workflow = workflowOf(minimalDocument());
    expect(workflow).toStrictEqual({
      name: 'Tiny',
      phases: [
        {
          name: 'Only',
          executionMode: 'sequential',
          tasks: [{ id: 'c', contextName: 'c', prompt: 'p', dependsOn: [] }],
        },
      ],
      config: { maxContextHistory: 50, continueOnError: true },
    });
  });

  it('keeps an explicit config and a history limit of 0', () => {
    const raw = {
      ...minimalDocument(),
      config: { max_context_history: 0, continue_on_error: false },
    };
    expect(workflowOf(raw).config).toEqual({ maxContextHistory: 0, continueOnError: false });
    const partial = { ...minimalDocument(), config: { continue_on_error: false } };
    expect(workflowOf(partial).config).toEqual({ maxContextHistory: 50, continueOnError: false });
  });

  it('returns a plain object that survives a JSON round trip unchanged', () => {
    const workflow = workflowOf(seedReadmeDocument());
    expect(JSON.parse(JSON.stringify(workflow))).toStrictEqual(workflow);
  });

  it('does not share objects with the input', () => {
    const raw = minimalDocument();
    const workflow = workflowOf(raw);
    (raw.phases as { name: string }[])[0]!.name = 'changed';
    expect(workflow.phases[0]!.name).toBe('Only');
  });

  it('reports an unknown key at the key itself, with a suggestion', () => {
    const raw = minimalDocument();
    (raw.phases as Record<string, unknown>[])[0]!.executon_mode = 'parallel';
    expect(issuesOf(raw)).toEqual([
      {
        path: ['phases', 0, 'executon_mode'],
        code: 'unknown_key',
        message: 'unknown key "executon_mode" in phase; did you mean "execution_mode"?',
      },
    ]);
  });

  it('suggests the snake_case key for a camelCase one', () => {
    const raw = { ...minimalDocument(), defaultProfile: 'writer' };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['defaultProfile'],
        code: 'unknown_key',
        message: 'unknown key "defaultProfile" in workflow; did you mean "default_profile"?',
      },
    ]);
  });

  it('lists the allowed keys when no key is close', () => {
    const raw = { ...minimalDocument(), config: { verbose: true } };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['config', 'verbose'],
        code: 'unknown_key',
        message:
          'unknown key "verbose" in config (allowed: "max_context_history", "continue_on_error", "max_concurrency", "retries", "timeout" and "max_cost")',
      },
    ]);
  });

  it('reports a missing key with the path of the absent key', () => {
    expect(issuesOf({ phases: [{ tasks: [{ prompt: 'p' }] }] })).toEqual([
      { path: ['name'], code: 'missing_key', message: 'missing required key "name" in workflow' },
      {
        path: ['phases', 0, 'name'],
        code: 'missing_key',
        message: 'missing required key "name" in phase',
      },
      {
        path: ['phases', 0, 'tasks', 0, 'context_name'],
        code: 'missing_key',
        message: 'missing required key "context_name" in task',
      },
    ]);
  });

  it('names the valid execution modes and suggests the closest one', () => {
    const raw = minimalDocument();
    (raw.phases as Record<string, unknown>[])[0]!.execution_mode = 'paralel';
    expect(issuesOf(raw)).toEqual([
      {
        path: ['phases', 0, 'execution_mode'],
        code: 'invalid_value',
        message:
          'execution_mode must be "sequential" or "parallel", got "paralel"; did you mean "parallel"?',
      },
    ]);
  });

  it.each([
    [-1, 'got -1', 'invalid_value'],
    [2.5, 'got 2.5', 'invalid_value'],
    ['50', 'got "50" (a string)', 'invalid_type'],
    [null, 'got an empty value (null)', 'invalid_type'],
  ])('rejects max_context_history %j', (value, found, code) => {
    const raw = { ...minimalDocument(), config: { max_context_history: value } };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['config', 'max_context_history'],
        code,
        message: `max_context_history must be a non-negative integer, ${found}`,
      },
    ]);
  });

  it('says what type was expected and what was found', () => {
    const raw = { name: 42, phases: { name: 'x' }, config: [] };
    expect(issuesOf(raw)).toEqual([
      { path: ['name'], code: 'invalid_type', message: 'name must be a non-empty string, got 42' },
      {
        path: ['phases'],
        code: 'invalid_type',
        message: 'phases must be a list of at least one phase, got an object',
      },
      {
        path: ['config'],
        code: 'invalid_type',
        message: 'config must be an object, got an empty list',
      },
    ]);
  });

  it('rejects a top-level list or scalar', () => {
    for (const [raw, found] of [
      [[], 'an empty list'],
      ['hello', '"hello" (a string)'],
      [null, 'an empty value (null)'],
    ] as const) {
      expect(issuesOf(raw)).toEqual([
        {
          path: [],
          code: 'invalid_type',
          message: `the workflow must be an object with "name" and "phases", got ${found}`,
        },
      ]);
    }
  });

  it('rejects an empty phase list and a phase without tasks', () => {
    expect(issuesOf({ name: 'x', phases: [] })).toEqual([
      {
        path: ['phases'],
        code: 'too_few_items',
        message: 'phases must be a list of at least one phase, got an empty list',
      },
    ]);
    expect(issuesOf({ name: 'x', phases: [{ name: 'p', tasks: [] }] })).toEqual([
      {
        path: ['phases', 0, 'tasks'],
        code: 'too_few_items',
        message: 'tasks must be a list of at least one task, got an empty list',
      },
    ]);
  });

  it('rejects blank strings and names the item that is not an object', () => {
    const raw = {
      name: '  ',
      phases: [{ name: 'p', tasks: [{ context_name: 'c', prompt: '' }, 'x'] }],
    };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['name'],
        code: 'invalid_value',
        message: 'name must be a non-empty string, got "  "',
      },
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'invalid_value',
        message: 'prompt must be a non-empty string, got ""',
      },
      {
        path: ['phases', 0, 'tasks', 1],
        code: 'invalid_type',
        message:
          'task 2 of phase 1 must be an object with "context_name" and "prompt", got "x" (a string)',
      },
    ]);
  });

  it('rejects a malformed task id and explains the pattern', () => {
    const raw = {
      name: 'x',
      phases: [{ name: 'p', tasks: [{ id: '-draft', context_name: 'c', prompt: 'p' }] }],
    };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['phases', 0, 'tasks', 0, 'id'],
        code: 'invalid_value',
        message:
          'id must be made of letters, digits, "_", "." and "-", starting with a letter, digit or "_", got "-draft"',
      },
    ]);
  });

  it('rejects an own __proto__ key like any unknown key', () => {
    const raw = JSON.parse('{"name":"x","__proto__":{"polluted":true},"phases":[]}');
    const issues = issuesOf(raw);
    expect(issues.map((issue) => issue.path)).toEqual([['phases'], ['__proto__']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports every issue of a document at once, id issues included', () => {
    const raw = {
      name: '',
      phases: [
        { name: 'a', executon_mode: 'parallel', tasks: [] },
        {
          name: 'b',
          tasks: [
            { id: 'same', context_name: 'c', prompt: 'p' },
            { id: 'same', context_name: 'c', prompt: 'p' },
          ],
        },
      ],
      config: { max_context_history: -1 },
    };
    expect(issuesOf(raw).map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['name', 'invalid_value'],
      ['phases.0.tasks', 'too_few_items'],
      ['phases.0.executon_mode', 'unknown_key'],
      ['config.max_context_history', 'invalid_value'],
      ['phases.1.tasks.1.id', 'duplicate_id'],
    ]);
  });
});
