import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workflowFileSchema, workflowJsonSchema } from './index.js';

interface ObjectSchema {
  properties: Record<
    string,
    ObjectSchema & { default?: unknown; enum?: unknown[]; items?: ObjectSchema }
  >;
  required?: string[];
  additionalProperties?: boolean;
}

describe('workflowJsonSchema', () => {
  const schema = workflowJsonSchema() as Record<string, unknown> & ObjectSchema;

  it('is draft 2020-12 generated from the zod schema of the file', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema).toEqual(
      z.toJSONSchema(workflowFileSchema, { target: 'draft-2020-12', io: 'input' }),
    );
  });

  it('describes the snake_case file shape with strict objects and defaults', () => {
    expect(schema.required).toEqual(['name', 'phases']);
    expect(schema.additionalProperties).toBe(false);
    const phase = schema.properties.phases!.items!;
    expect(phase.additionalProperties).toBe(false);
    expect(phase.properties.execution_mode).toMatchObject({
      enum: ['sequential', 'parallel'],
      default: 'sequential',
    });
    const task = phase.properties.tasks!.items!;
    expect(Object.keys(task.properties)).toEqual([
      'id',
      'context_name',
      'prompt',
      'profile',
      'timeout',
      'retries',
      'max_steps',
      'continue_on_error',
      'output',
    ]);
    expect(task.required).toEqual(['context_name', 'prompt']);
    const config = schema.properties.config!;
    expect(config.properties.max_context_history).toMatchObject({
      type: 'integer',
      minimum: 0,
      default: 50,
    });
    expect(config.properties.continue_on_error).toMatchObject({ type: 'boolean', default: true });
  });

  it('is JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('workflowFileSchema', () => {
  it('keeps the snake_case shape and fills in the defaults', () => {
    const parsed = workflowFileSchema.parse({
      name: 'x',
      phases: [{ name: 'p', tasks: [{ context_name: 'c', prompt: 'q' }] }],
    });
    expect(parsed).toEqual({
      name: 'x',
      phases: [
        { name: 'p', execution_mode: 'sequential', tasks: [{ context_name: 'c', prompt: 'q' }] },
      ],
      config: { max_context_history: 50, continue_on_error: true },
    });
  });
});
