import { describe, expect, it } from 'vitest';
import { parseDuration } from './index.js';
import {
  issuesOf,
  minimalDocument,
  task,
  withConfig,
  withTask,
  workflowOf,
} from './test-documents.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['0.4ms', undefined],
    ['596h', 2_145_600_000],
  ])('%s is %s ms in the model', (text, ms) => {
    expect(parseDuration(text)).toBe(ms === undefined ? 0 : ms);
    if (ms !== undefined)
      expect(workflowOf(withConfig({ timeout: text })).config.timeoutMs).toBe(ms);
  });

  it.each([
    [60, 'got 60; did you mean "60s"?'],
    [1.5, 'got 1.5; did you mean "1.5s"?'],
    ['60', 'got "60"; did you mean "60s"?'],
    ['2 min', 'got "2 min"; did you mean "2m"?'],
    ['10 Seconds', 'got "10 Seconds"; did you mean "10s"?'],
    ['0s', 'got "0s"'],
    ['0.4ms', 'got "0.4ms"'],
    ['597h', 'got "597h"'],
    ['1d', 'got "1d"'],
    ['-5s', 'got "-5s"'],
    [true, 'got true'],
  ])('refuses timeout %j, saying to add a unit', (value, found) => {
    expect(issuesOf(withConfig({ timeout: value }))).toEqual([
      [
        'config.timeout',
        `timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), ${found}`,
      ],
    ]);
  });

  it('parses only a number with a unit', () => {
    expect(parseDuration('60')).toBeUndefined();
    expect(parseDuration(' 60s')).toBeUndefined();
    expect(parseDuration('1e3s')).toBeUndefined();
  });
});

describe('config, phase and task settings', () => {
  it('reads max_concurrency, retries and timeout into the model', () => {
    const workflow = workflowOf({
      name: 'w',
      phases: [
        {
          name: 'p',
          execution_mode: 'parallel',
          max_concurrency: 4,
          tasks: [
            task('c', 'q', {
              timeout: '90s',
              retries: 0,
              continue_on_error: false,
              profile: 'fast',
            }),
          ],
        },
      ],
      config: { max_concurrency: 8, retries: 3, timeout: '2m', continue_on_error: true },
    });
    expect(workflow.config).toStrictEqual({
      maxContextHistory: 50,
      continueOnError: true,
      maxConcurrency: 8,
      retries: 3,
      timeoutMs: 120_000,
    });
    expect(workflow.phases[0]).toStrictEqual({
      name: 'p',
      executionMode: 'parallel',
      maxConcurrency: 4,
      tasks: [
        {
          id: 'c',
          contextName: 'c',
          prompt: 'q',
          profile: 'fast',
          timeoutMs: 90_000,
          retries: 0,
          continueOnError: false,
          dependsOn: [],
        },
      ],
    });
  });

  it('refuses bad values with what each key takes', () => {
    const raw = {
      name: 'w',
      phases: [
        {
          name: 'p',
          max_concurrency: 0,
          tasks: [
            task('c', 'q', { retries: -1, continue_on_error: 'yes', timeout: '5 sec', retry: 2 }),
          ],
        },
      ],
      config: { max_concurrency: 1.5, retries: '3', max_concurency: 2 },
    };
    expect(issuesOf(raw)).toEqual([
      ['phases.0.max_concurrency', 'max_concurrency must be a positive integer, got 0'],
      [
        'phases.0.tasks.0.timeout',
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got "5 sec"; did you mean "5s"?',
      ],
      ['phases.0.tasks.0.retries', 'retries must be a non-negative integer, got -1'],
      [
        'phases.0.tasks.0.continue_on_error',
        'continue_on_error must be true or false, got "yes" (a string)',
      ],
      [
        'phases.0.tasks.0.retry',
        'unknown key "retry" in task (allowed: "id", "context_name", "prompt", "profile", "timeout", "retries", "max_steps", "continue_on_error" and "output")',
      ],
      ['config.max_concurrency', 'max_concurrency must be a positive integer, got 1.5'],
      ['config.retries', 'retries must be a non-negative integer, got "3" (a string)'],
      [
        'config.max_concurency',
        'unknown key "max_concurency" in config; did you mean "max_concurrency"?',
      ],
    ]);
  });
});

describe('structured output', () => {
  it('fills in max_repairs and keeps the schema', () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' } },
      required: ['title'],
    };
    const workflow = workflowOf(withTask({ output: { format: 'json', schema } }));
    expect(workflow.phases[0]!.tasks[0]!.output).toStrictEqual({
      format: 'json',
      schema,
      maxRepairs: 2,
    });
    expect(workflow.phases[0]!.tasks[0]!.output!.schema).not.toBe(schema);
    const bare = workflowOf(withTask({ output: { format: 'json', max_repairs: 0 } }));
    expect(bare.phases[0]!.tasks[0]!.output).toStrictEqual({ format: 'json', maxRepairs: 0 });
  });

  it('refuses a bad format, repairs count or schema', () => {
    expect(issuesOf(withTask({ output: { format: 'yaml', max_repairs: -1, shema: {} } }))).toEqual([
      ['phases.0.tasks.0.output.format', 'format must be "json", got "yaml"'],
      ['phases.0.tasks.0.output.max_repairs', 'max_repairs must be a non-negative integer, got -1'],
      ['phases.0.tasks.0.output.shema', 'unknown key "shema" in output; did you mean "schema"?'],
    ]);
    expect(issuesOf(withTask({ output: { schema: [] } }))).toEqual([
      ['phases.0.tasks.0.output.format', 'missing required key "format" in output'],
      [
        'phases.0.tasks.0.output.schema',
        'schema must be a JSON Schema (a mapping), got an empty list',
      ],
    ]);
  });

  it('checks that the schema is a plausible JSON Schema, at the offending keyword', () => {
    const schema = {
      type: 'obect',
      properties: {
        title: { type: ['string', 'nul'] },
        tags: { type: 'array', items: 3 },
        ok: true,
      },
      required: 'title',
      anyOf: { type: 'string' },
      $defs: { a: { enum: 'x' } },
      prefixItems: [{ type: 7 }],
    };
    // In document order: each schema's own keywords, and the schemas below them where they are.
    expect(issuesOf(withTask({ output: { format: 'json', schema } }))).toEqual([
      [
        'phases.0.tasks.0.output.schema.type',
        'type must be a JSON Schema type ("string", "number", "integer", "boolean", "object", "array" or "null"), or a list of them, got "obect"; did you mean "object"?',
      ],
      [
        'phases.0.tasks.0.output.schema.properties.title.type.1',
        'type must be a JSON Schema type ("string", "number", "integer", "boolean", "object", "array" or "null"), or a list of them, got "nul"; did you mean "null"?',
      ],
      [
        'phases.0.tasks.0.output.schema.properties.tags.items',
        'properties.tags.items must be a JSON Schema (a mapping, or true or false), got 3',
      ],
      [
        'phases.0.tasks.0.output.schema.required',
        'required must be a list of property names, got "title"',
      ],
      ['phases.0.tasks.0.output.schema.anyOf', 'anyOf must be a list of schemas, got an object'],
      ['phases.0.tasks.0.output.schema.$defs.a.enum', 'enum must be a list of values, got "x"'],
      [
        'phases.0.tasks.0.output.schema.prefixItems.0.type',
        'type must be a JSON Schema type ("string", "number", "integer", "boolean", "object", "array" or "null"), or a list of them, got 7',
      ],
    ]);
  });
});

describe('inputs', () => {
  it('fills in the type and whether each input is required', () => {
    const workflow = workflowOf({
      ...minimalDocument(),
      inputs: {
        topic: { description: 'What to write about' },
        rounds: { type: 'number', default: 3 },
        draft: { type: 'boolean', required: false },
        tone: { default: 'warm', required: false },
      },
    });
    expect(workflow.inputs).toStrictEqual({
      topic: { type: 'string', description: 'What to write about', required: true },
      rounds: { type: 'number', default: 3, required: false },
      draft: { type: 'boolean', required: false },
      tone: { type: 'string', default: 'warm', required: false },
    });
  });

  it('refuses bad names, types, defaults and keys', () => {
    const raw = {
      ...minimalDocument(),
      inputs: {
        'the topic': {},
        rounds: { type: 'integer', default: 3 },
        count: { type: 'number', default: '3' },
        label: { default: 3 },
        flag: { type: 'boolean', default: 'yes' },
        fixed: { default: 'x', required: true },
        other: { descripton: 'x' },
        list: { default: [] },
        bare: 'x',
      },
    };
    expect(issuesOf(raw)).toEqual([
      [
        'inputs.the topic',
        'input name "the topic" must be made of letters, digits, "_" and "-", starting with a letter or "_"',
      ],
      ['inputs.rounds.type', 'type must be "string", "number" or "boolean", got "integer"'],
      [
        'inputs.other.descripton',
        'unknown key "descripton" in input "other"; did you mean "description"?',
      ],
      [
        'inputs.list.default',
        'default must be a string, a number, or true or false, got an empty list',
      ],
      ['inputs.bare', 'input "bare" must be an object, got "x" (a string)'],
      [
        'inputs.count.default',
        'default must be a number, as input "count" has type number, got "3" (a string); did you mean 3?',
      ],
      [
        'inputs.label.default',
        'default must be a string, as input "label" has type string, got 3; did you mean "3"?',
      ],
      [
        'inputs.flag.default',
        'default must be true or false, as input "flag" has type boolean, got "yes" (a string)',
      ],
      [
        'inputs.fixed.required',
        'input "fixed" has a default, so it cannot be required; remove "required: true" or the default',
      ],
    ]);
  });
});

describe('contexts', () => {
  it('reads system messages, limits and trimming policies', () => {
    const workflow = workflowOf({
      ...minimalDocument(),
      inputs: { topic: {} },
      contexts: {
        c: {
          system: 'You write about {{ inputs.topic }}.',
          max_history: 20,
          max_tokens: 8000,
          trim: 'drop_oldest',
        },
        notes: { trim: { policy: 'summarize', profile: 'summarizer', keep_last: 4 } },
        plain: { system: 'Be brief.' },
        unused: {},
      },
    });
    expect(workflow.contexts).toStrictEqual({
      c: {
        system: 'You write about {{ inputs.topic }}.',
        systemTemplate: [
          { kind: 'text', text: 'You write about ' },
          {
            kind: 'ref',
            source: 'inputs',
            name: 'topic',
            path: [],
            raw: '{{ inputs.topic }}',
            offset: 16,
            length: 18,
          },
          { kind: 'text', text: '.' },
        ],
        maxHistory: 20,
        maxTokens: 8000,
        trim: 'drop_oldest',
      },
      notes: { trim: { policy: 'summarize', profile: 'summarizer', keepLast: 4 } },
      plain: { system: 'Be brief.' },
      unused: {},
    });
  });

  it('refuses bad limits and policies, describing the option the value is shaped like', () => {
    const raw = {
      ...minimalDocument(),
      contexts: {
        a: { max_history: -1, max_tokens: 0, trim: 'summarize' },
        b: { trim: { policy: 'summarize', profil: 'x' } },
        c: { trim: { policy: 'drop_oldest' } },
        d: { trim: 5, sytem: 'x' },
      },
    };
    expect(issuesOf(raw)).toEqual([
      ['contexts.a.max_history', 'max_history must be a non-negative integer, got -1'],
      ['contexts.a.max_tokens', 'max_tokens must be a positive integer, got 0'],
      [
        'contexts.a.trim',
        'trim must be "drop_oldest" or a mapping { policy: summarize, profile: <profile>, keep_last: <count> }, got "summarize"',
      ],
      ['contexts.b.trim.profile', 'missing required key "profile" in trim'],
      ['contexts.b.trim.profil', 'unknown key "profil" in trim; did you mean "profile"?'],
      [
        'contexts.c.trim.policy',
        'policy must be "summarize" (to drop the oldest messages, write trim: drop_oldest), got "drop_oldest"',
      ],
      ['contexts.c.trim.profile', 'missing required key "profile" in trim'],
      [
        'contexts.d.trim',
        'trim must be "drop_oldest" or a mapping { policy: summarize, profile: <profile>, keep_last: <count> }, got 5',
      ],
      ['contexts.d.sytem', 'unknown key "sytem" in context "d"; did you mean "system"?'],
    ]);
  });
});

describe('x- keys', () => {
  it('ignores top-level keys that begin with x-, and only those', () => {
    const raw = { 'x-defaults': { profile: 'w' }, 'x-notes': 'anything', ...minimalDocument() };
    expect(workflowOf(raw)).toStrictEqual(workflowOf(minimalDocument()));
    expect(issuesOf({ ...minimalDocument(), x_defaults: {} })).toEqual([
      [
        'x_defaults',
        'unknown key "x_defaults" in workflow (allowed: "name", "description", "default_profile", "inputs", "contexts", "providers", "profiles", "mcp_servers", "phases" and "config")',
      ],
    ]);
    expect(issuesOf(withTask({ 'x-note': 'no' }))).toEqual([
      [
        'phases.0.tasks.0.x-note',
        'unknown key "x-note" in task (allowed: "id", "context_name", "prompt", "profile", "timeout", "retries", "max_steps", "continue_on_error" and "output")',
      ],
    ]);
  });
});
