import { MultiContextOrchestrator } from '@multi-context/core';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.js';

describe('defineTool', () => {
  it('gives providers the JSON Schema of a zod input and parses arguments with it', () => {
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: z.object({ a: z.number(), b: z.number().default(0) }),
      execute: ({ a, b }) => a + b,
      timeoutMs: 500,
    });
    expect(add.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number', default: 0 } },
      required: ['a'],
    });
    expect(add.timeoutMs).toBe(500);
    expect(add.parseInput!({ a: 1 })).toEqual({ ok: true, value: { a: 1, b: 0 } });
    const bad = add.parseInput!({ a: 'one' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/^a: /);
  });

  it('takes a JSON Schema as it is, for the orchestrator to check against', () => {
    const schema = { type: 'object', properties: { q: { type: 'string' } } };
    const search = defineTool({
      name: 'search',
      description: 'Searches.',
      inputSchema: schema,
      execute: () => [],
    });
    expect(search.inputSchema).toBe(schema);
    expect(search.parseInput).toBeUndefined();
  });

  it('refuses a bad name, an empty description and a schema that is not an object', () => {
    const execute = () => 1;
    expect(() =>
      defineTool({ name: 'a b', description: 'x', inputSchema: z.object({}), execute }),
    ).toThrow(/name/);
    expect(() =>
      defineTool({ name: 'a', description: ' ', inputSchema: z.object({}), execute }),
    ).toThrow(/description/);
    expect(() =>
      defineTool({ name: 'a', description: 'x', inputSchema: z.string(), execute }),
    ).toThrow(/must be an object/);
  });

  it('runs in an orchestrator: the parsed input reaches execute, an invalid one never does', async () => {
    const inputs: unknown[] = [];
    const echo = defineTool({
      name: 'echo',
      description: 'Says a word back.',
      inputSchema: z.object({ word: z.string().min(2) }),
      execute: ({ word }) => {
        inputs.push(word);
        return word.toUpperCase();
      },
    });
    const provider = defineProvider({
      id: 'p',
      complete: ({ messages }) => {
        const results = messages.filter((m) => m.role === 'tool');
        if (results.length === 0) {
          return {
            toolCalls: [
              { id: '1', name: 'echo', input: { word: 'hi' } },
              { id: '2', name: 'echo', input: { word: 'x' } },
            ],
          };
        }
        return results
          .map((m) => `${m.isError === true ? 'error' : 'ok'}:${m.content}`)
          .join(' | ');
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { p: provider },
      profiles: { agent: { tools: ['echo'] } },
      tools: { echo },
    });
    const workflow = defineWorkflow({
      name: 'w',
      defaultProfile: 'agent',
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'say hi' }] }],
    });
    const result = await orchestrator.run(workflow).result;
    expect(inputs).toEqual(['hi']);
    expect(result.phases[0]!.results[0]!.response).toMatch(
      /^ok:HI \| error:Invalid arguments for the tool "echo": word: /,
    );
  });
});
