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
