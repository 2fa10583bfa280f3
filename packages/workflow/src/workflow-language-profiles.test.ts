import { describe, expect, it } from 'vitest';
import { defineWorkflow, WorkflowValidationError } from './index.js';
import { issuesOf, minimalDocument, workflowOf } from './test-documents.js';

describe('providers and profiles in a workflow', () => {
  it('reads them into camelCase specs', () => {
    const workflow = workflowOf({
      ...minimalDocument(),
      providers: {
        local: {
          use: 'openai',
          base_url: 'http://localhost:11434/v1',
          api_key_env: 'OLLAMA_API_KEY',
          organization: 'org',
          headers: { 'X-Team': 'docs' },
          default_model: 'llama3.2',
          options: { keep_alive: '5m', nested: { a: [1] } },
        },
        mine: { use: './my-provider.js', rate_limit: { requests: 500 } },
        paced: { use: 'openai', rate_limit: { requests: 20, per: '10s', by: 'model' } },
      },
      profiles: {
        writer: {
          provider: 'local',
          model: 'llama3.2',
          system: 'You write.',
          temperature: 0.2,
          top_p: 0.9,
          max_tokens: 2048,
          stop: 'END',
          seed: 7,
          retries: 4,
          timeout: '60s',
          price: { input_per_million: 3, output_per_million: 15 },
          params: { logprobs: true },
          prompt_cache: '1h',
        },
        other: { provider: 'mine', stop: ['a', 'b'] },
      },
    });
    expect(workflow.providers).toStrictEqual({
      local: {
        use: 'openai',
        baseUrl: 'http://localhost:11434/v1',
        apiKeyEnv: 'OLLAMA_API_KEY',
        organization: 'org',
        headers: { 'X-Team': 'docs' },
        defaultModel: 'llama3.2',
        options: { keep_alive: '5m', nested: { a: [1] } },
      },
      mine: { use: './my-provider.js', rateLimit: { requests: 500 } },
      paced: { use: 'openai', rateLimit: { requests: 20, perMs: 10_000, by: 'model' } },
    });
    expect(workflow.profiles).toStrictEqual({
      writer: {
        provider: 'local',
        model: 'llama3.2',
        system: 'You write.',
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 2048,
        stop: ['END'],
        seed: 7,
        retries: 4,
        timeoutMs: 60_000,
        price: { inputPerMillion: 3, outputPerMillion: 15 },
        params: { logprobs: true },
        promptCache: '1h',
      },
      other: { provider: 'mine', stop: ['a', 'b'] },
    });
  });

  it('checks profile providers against the providers of the same document', () => {
    const raw = {
      ...minimalDocument(),
      providers: { claude: { use: 'anthropic' } },
      profiles: { a: { provider: 'claud' }, b: { provider: 'openai' } },
    };
    expect(issuesOf(raw)).toEqual([
      ['profiles.a.provider', 'unknown provider "claud"; did you mean "claude"?'],
      ['profiles.b.provider', 'unknown provider "openai" (defined: "claude")'],
    ]);
    // Without a providers section, profiles name providers configured elsewhere.
    expect(
      workflowOf({ ...minimalDocument(), profiles: { a: { provider: 'claud' } } }).profiles,
    ).toEqual({
      a: { provider: 'claud' },
    });
  });

  it('says what prompt_cache takes', () => {
    const raw = {
      ...minimalDocument(),
      profiles: { a: { prompt_cache: '2h' }, b: { prompt_cache: true } },
    };
    expect(issuesOf(raw)).toEqual([
      ['profiles.a.prompt_cache', expect.stringContaining('on, off, 5m or 1h')],
      ['profiles.b.prompt_cache', expect.stringContaining('on, off, 5m or 1h')],
    ]);
  });

  it('says what is wrong with a rate limit', () => {
    const raw = {
      ...minimalDocument(),
      providers: {
        a: { use: 'openai', rate_limit: { requests: 0 } },
        b: { use: 'openai', rate_limit: { requests: 5, per: 60 } },
        c: { use: 'openai', rate_limit: { requests: 5, by: 'task' } },
        d: { use: 'openai', rate_limit: { per: '1m' } },
      },
    };
    const paths = issuesOf(raw).map(([path]) => path);
    expect(paths).toEqual([
      'providers.a.rate_limit.requests',
      'providers.b.rate_limit.per',
      'providers.c.rate_limit.by',
      'providers.d.rate_limit.requests',
    ]);
    const messages = issuesOf(raw).map(([, message]) => message);
    expect(messages[1]).toContain('a duration with a unit');
    expect(messages[2]).toContain('provider or model');
  });

  it('never shows a value that may be a secret', () => {
    const raw = {
      ...minimalDocument(),
      providers: {
        p: {
          use: 'openai',
          api_key_env: 'sk-proj-SECRET123',
          headers: { Authorization: 12345 },
          api_key: 'sk-x',
        },
      },
    };
    const issues = issuesOf(raw);
    expect(issues).toEqual([
      [
        'providers.p.api_key_env',
        'api_key_env must be the name of an environment variable, such as OPENAI_API_KEY (never the key itself), got a string (not shown: it may be a secret)',
      ],
      [
        'providers.p.headers.Authorization',
        'Authorization must be a string, got a number (not shown: it may be a secret)',
      ],
      [
        'providers.p.api_key',
        'unknown key "api_key" in provider "p" (allowed: "use", "base_url", "api_key_env", "organization", "headers", "default_model", "options" and "rate_limit")',
      ],
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/SECRET|12345|sk-x/);
  });
});

describe('defineWorkflow with the whole language', () => {
  const input = {
    name: 'Code',
    inputs: { topic: { default: 'tides' } },
    contexts: { writer: { system: 'On {{ inputs.topic }}', maxTokens: 100 } },
    profiles: { fast: { timeoutMs: 1000, stop: ['x'] } },
    phases: [
      {
        name: 'Plan',
        tasks: [
          {
            id: 'plan',
            contextName: 'planner',
            prompt: 'Plan',
            output: { format: 'json' as const },
          },
        ],
      },
      {
        name: 'Write',
        executionMode: 'parallel' as const,
        maxConcurrency: 2,
        tasks: [
          { contextName: 'writer', prompt: 'Write {{ outputs.plan.json.title }}', timeoutMs: 5000 },
        ],
      },
    ],
    config: { retries: 2 },
  };

  it('builds the same model as a file, templates and dependencies included', () => {
    const workflow = defineWorkflow(input);
    expect(workflow.phases[0]!.tasks[0]!.output).toEqual({ format: 'json', maxRepairs: 2 });
    expect(workflow.phases[1]!.tasks[0]).toMatchObject({
      id: 'writer',
      timeoutMs: 5000,
      dependsOn: ['plan'],
      template: [
        { kind: 'text', text: 'Write ' },
        expect.objectContaining({ source: 'outputs', name: 'plan', path: ['json', 'title'] }),
      ],
    });
    expect(workflow.contexts!.writer!.systemTemplate).toHaveLength(2);
  });

  it('accepts any Workflow and gives it back equal', () => {
    const workflow = defineWorkflow(input);
    expect(defineWorkflow(workflow)).toStrictEqual(workflow);
    expect(defineWorkflow(JSON.parse(JSON.stringify(workflow)))).toStrictEqual(workflow);
  });

  it('refuses derived keys that do not match the prompt', () => {
    const workflow = defineWorkflow(input);
    const edited = structuredClone(workflow);
    edited.phases[1]!.tasks[0]!.dependsOn = [];
    edited.phases[1]!.tasks[0]!.prompt = 'Write {{ outputs.plan.json.name }}';
    edited.contexts!.writer!.system = 'Plain';
    let caught: unknown;
    try {
      defineWorkflow(edited);
    } catch (error) {
      caught = error;
    }
    expect(WorkflowValidationError.isInstance(caught)).toBe(true);
    expect(
      (caught as WorkflowValidationError).issues.map((issue) => [
        issue.path.join('.'),
        issue.message,
      ]),
    ).toEqual([
      [
        'phases.1.tasks.0.template',
        'template does not match prompt: it is derived from prompt; leave it out',
      ],
      [
        'phases.1.tasks.0.dependsOn',
        'dependsOn does not match prompt: it is derived from prompt (["plan"]); leave it out',
      ],
      [
        'contexts.writer.systemTemplate',
        'systemTemplate does not match system: it is derived from system; leave it out',
      ],
    ]);
  });

  it('takes durations in milliseconds in code', () => {
    expect(() =>
      defineWorkflow({
        name: 'x',
        phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'q', timeoutMs: 0 }] }],
      }),
    ).toThrow('timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got 0');
  });
});
