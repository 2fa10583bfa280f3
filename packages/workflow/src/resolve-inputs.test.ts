import { describe, expect, it } from 'vitest';
import {
  resolveInputs,
  validateWorkflowDocument,
  type Workflow,
  WorkflowInputError,
} from './index.js';

function workflowWithInputs(inputs: Record<string, unknown>): Workflow {
  const result = validateWorkflowDocument({
    name: 'w',
    inputs,
    phases: [{ name: 'p', tasks: [{ context_name: 'c', prompt: 'p' }] }],
  });
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.workflow;
}

const workflow = workflowWithInputs({
  topic: { description: 'What the post is about' },
  rounds: { type: 'number', default: 2 },
  draft: { type: 'boolean', default: false },
  audience: { required: false },
  tone: { default: 'friendly' },
});

function inputError(given: Record<string, unknown>): WorkflowInputError {
  try {
    resolveInputs(workflow, given);
  } catch (error) {
    expect(WorkflowInputError.isInstance(error)).toBe(true);
    return error as WorkflowInputError;
  }
  throw new Error('expected a WorkflowInputError');
}

describe('resolveInputs', () => {
  it('applies defaults and leaves out an optional input without one', () => {
    expect(resolveInputs(workflow, { topic: 'tides' })).toStrictEqual({
      topic: 'tides',
      rounds: 2,
      draft: false,
      tone: 'friendly',
    });
  });

  it('converts command-line strings to numbers and booleans', () => {
    expect(
      resolveInputs(workflow, { topic: 'tides', rounds: ' 3 ', draft: 'true', audience: 'kids' }),
    ).toStrictEqual({ topic: 'tides', rounds: 3, draft: true, audience: 'kids', tone: 'friendly' });
    expect(resolveInputs(workflow, { topic: 'x', rounds: '-1.5e2', draft: 'false' })).toMatchObject(
      {
        rounds: -150,
        draft: false,
      },
    );
    expect(resolveInputs(workflow, { topic: 'x', rounds: 7, draft: true })).toMatchObject({
      rounds: 7,
      draft: true,
    });
  });

  it('treats a value of undefined as not given', () => {
    expect(
      resolveInputs(workflow, { topic: 'x', tone: undefined, other: undefined }),
    ).toMatchObject({ tone: 'friendly' });
  });

  it('reports every missing, ill-typed and unknown input at once', () => {
    const error = inputError({
      rounds: 'three',
      draft: 'yes',
      tone: 3,
      topc: 'tides',
      colour: 'red',
    });
    expect(error.issues).toEqual([
      { input: 'topic', message: 'missing input "topic" (a string): What the post is about' },
      { input: 'rounds', message: 'input "rounds" must be a number, got "three" (a string)' },
      { input: 'draft', message: 'input "draft" must be true or false, got "yes" (a string)' },
      { input: 'tone', message: 'input "tone" must be a string, got 3' },
      { input: 'topc', message: 'unknown input "topc"; did you mean "topic"?' },
      {
        input: 'colour',
        message:
          'unknown input "colour" (the workflow takes "topic", "rounds", "draft", "audience" and "tone")',
      },
    ]);
    expect(error.name).toBe('WorkflowInputError');
    expect(error.message.split('\n')).toEqual([
      'Invalid inputs:',
      '- missing input "topic" (a string): What the post is about',
      '- input "rounds" must be a number, got "three" (a string)',
      '- input "draft" must be true or false, got "yes" (a string)',
      '- input "tone" must be a string, got 3',
      '- unknown input "topc"; did you mean "topic"?',
      '- unknown input "colour" (the workflow takes "topic", "rounds", "draft", "audience" and "tone")',
    ]);
  });

  it.each([['0x10'], [''], ['1e999'], ['Infinity'], ['1,5']])('refuses %j as a number', (value) => {
    expect(inputError({ topic: 'x', rounds: value }).issues).toEqual([
      {
        input: 'rounds',
        message: `input "rounds" must be a number, got ${JSON.stringify(value)} (a string)`,
      },
    ]);
  });

  it('refuses inputs for a workflow that declares none, and own names only', () => {
    const none = workflowWithInputs({});
    expect(resolveInputs({ phases: [] } as unknown as Workflow, {})).toStrictEqual({});
    let caught: unknown;
    try {
      resolveInputs(none, JSON.parse('{"__proto__": "x"}'));
    } catch (error) {
      caught = error;
    }
    expect((caught as WorkflowInputError).message).toBe(
      'Invalid input: unknown input "__proto__" (the workflow takes no inputs)',
    );
    expect(
      WorkflowInputError.isInstance({
        [Symbol.for('multi-context.error.WorkflowInputError')]: true,
      }),
    ).toBe(true);
  });
});
