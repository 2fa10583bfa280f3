import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../test/helpers.js';
import { hashWorkflow } from './index.js';

describe('hashWorkflow', () => {
  it('is the SHA-256 hex of the workflow, whatever the order of its keys', () => {
    const workflow = pipeline();
    const hash = hashWorkflow(workflow);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = JSON.parse(JSON.stringify(workflow), (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    expect(Object.keys(reordered)).not.toEqual(Object.keys(workflow));
    expect(hashWorkflow(reordered)).toBe(hash);
    expect(hashWorkflow(JSON.parse(JSON.stringify(workflow)))).toBe(hash);
    expect(hashWorkflow({ ...workflow, description: undefined })).toBe(hash);
  });

  it('stays the same for a known workflow, so existing journals still resume', () => {
    // Pinned values: a journal's header stores the hash; a change here breaks every resume.
    expect(hashWorkflow(pipeline())).toBe(
      '8e9365cd0dc2d335c5b181231d7ba8f265764f9ca3c33f33e5667620b22aa9e8',
    );
    const rich = defineWorkflow({
      name: 'Rich ✓',
      description: 'inputs, contexts, profiles, templates and outputs',
      defaultProfile: 'writer',
      inputs: {
        topic: { type: 'string', default: 'AI tools' },
        count: { type: 'number', required: true },
      },
      contexts: { notes: { system: 'Be brief about {{ inputs.topic }}.', maxHistory: 4 } },
      profiles: { writer: { model: 'm', system: 'You write.' } },
      phases: [
        {
          name: 'Research',
          executionMode: 'parallel',
          maxConcurrency: 2,
          tasks: [
            {
              id: 'trends',
              contextName: 'notes',
              prompt: 'Trends in {{ inputs.topic }}?',
              timeoutMs: 1500,
              retries: 1,
            },
            {
              contextName: 'rivals',
              prompt: 'Who "else"?\n\ttabs',
              output: {
                format: 'json',
                schema: {
                  type: 'object',
                  properties: { b: { type: 'string' }, a: { type: 'number' } },
                },
              },
            },
          ],
        },
        {
          name: 'Writing',
          tasks: [
            {
              contextName: 'notes',
              prompt: 'Use {{ outputs.trends }} and {{ outputs.rivals.json.a }}',
              continueOnError: true,
            },
          ],
        },
      ],
      config: { maxContextHistory: 10, continueOnError: false },
    });
    expect(hashWorkflow(rich)).toBe(
      'e3b1a2f3f51b4260905464621a1ae00ef3c8b2f800afb4498eeee5a560a0a821',
    );
  });

  it('changes with anything the workflow says', () => {
    const base = { name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x' }] }] };
    const hash = hashWorkflow(defineWorkflow(base));
    expect(hashWorkflow(defineWorkflow({ ...base, name: 'v' }))).not.toBe(hash);
    expect(hashWorkflow(defineWorkflow({ ...base, config: { maxContextHistory: 10 } }))).not.toBe(
      hash,
    );
    expect(
      hashWorkflow(
        defineWorkflow({
          ...base,
          phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'y' }] }],
        }),
      ),
    ).not.toBe(hash);
  });
});
