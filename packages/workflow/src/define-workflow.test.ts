import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { defineWorkflow, type WorkflowInput, WorkflowValidationError } from './index.js';
import type { workflowInputSchema } from './workflow-schema.js';

describe('defineWorkflow', () => {
  it('fills in ids, modes and config like a file', () => {
    const workflow = defineWorkflow({
      name: 'Notes',
      defaultProfile: 'writer',
      phases: [
        {
          name: 'Draft',
          executionMode: 'parallel',
          tasks: [
            { contextName: 'notes', prompt: 'Write a haiku' },
            { contextName: 'notes', prompt: 'Write another', profile: 'poet' },
          ],
        },
      ],
      config: { continueOnError: false },
    });
    expect(workflow).toStrictEqual({
      name: 'Notes',
      defaultProfile: 'writer',
      phases: [
        {
          name: 'Draft',
          executionMode: 'parallel',
          tasks: [
            { id: 'notes', contextName: 'notes', prompt: 'Write a haiku', dependsOn: [] },
            {
              id: 'notes-2',
              contextName: 'notes',
              prompt: 'Write another',
              profile: 'poet',
              dependsOn: [],
            },
          ],
        },
      ],
      config: { maxContextHistory: 50, continueOnError: false },
    });
  });

  it('throws a WorkflowValidationError with every issue, in camelCase', () => {
    const input = {
      name: 'Bad',
      phases: [
        {
          name: 'p',
          executionMode: 'paralel',
          tasks: [{ contxtName: 'c', prompt: 'p' }],
        },
      ],
    } as unknown as WorkflowInput;
    let caught: unknown;
    try {
      defineWorkflow(input);
    } catch (error) {
      caught = error;
    }
    expect(WorkflowValidationError.isInstance(caught)).toBe(true);
    const error = caught as WorkflowValidationError;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WorkflowValidationError');
    expect(error.issues).toEqual([
      {
        path: ['phases', 0, 'executionMode'],
        code: 'invalid_value',
        message:
          'executionMode must be "sequential" or "parallel", got "paralel"; did you mean "parallel"?',
      },
      {
        path: ['phases', 0, 'tasks', 0, 'contextName'],
        code: 'missing_key',
        message: 'missing required key "contextName" in task',
      },
      {
        path: ['phases', 0, 'tasks', 0, 'contxtName'],
        code: 'unknown_key',
        message: 'unknown key "contxtName" in task; did you mean "contextName"?',
      },
    ]);
    expect(error.message).toBe(
      'Invalid workflow at phases[0].executionMode: executionMode must be "sequential" or "parallel", got "paralel"; did you mean "parallel"? (and 2 more issues)',
    );
  });

  it('rejects snake_case keys in code, suggesting the camelCase ones', () => {
    const input = {
      name: 'x',
      default_profile: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'q' }] }],
    } as unknown as WorkflowInput;
    expect(() => defineWorkflow(input)).toThrow(
      'Invalid workflow at default_profile: unknown key "default_profile" in workflow; did you mean "defaultProfile"?',
    );
  });

  it('rejects input that is not an object', () => {
    expect(() => defineWorkflow(undefined as unknown as WorkflowInput)).toThrow(
      'the workflow must be an object with "name" and "phases", got nothing',
    );
  });

  it('accepts exactly what its input schema accepts', () => {
    expectTypeOf<WorkflowInput>().toEqualTypeOf<z.input<typeof workflowInputSchema>>();
  });
});

describe('WorkflowValidationError.isInstance', () => {
  it('recognises an error from another copy of the package by its marker', () => {
    const foreign = { [Symbol.for('multi-context.error.WorkflowValidationError')]: true };
    expect(WorkflowValidationError.isInstance(foreign)).toBe(true);
    expect(WorkflowValidationError.isInstance(new Error('x'))).toBe(false);
    expect(WorkflowValidationError.isInstance(null)).toBe(false);
  });
});
