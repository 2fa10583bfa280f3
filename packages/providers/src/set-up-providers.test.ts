import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import { loadWorkflow, locateIssues } from '@multi-context/loader';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { resolve as resolveModule } from 'import-meta-resolve';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderSetupError } from './provider-setup-error.js';
import { setUpProviders } from './set-up-providers.js';

const dir = mkdtempSync(join(tmpdir(), 'set-up-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// A plugin in the test folder finds the provider contract by URL, as it has no node_modules.
const PROVIDER_URL = resolveModule('@multi-context/provider', import.meta.url);

describe('setUpProviders', () => {
  it("makes a workflow's own providers and profiles, ready for the orchestrator as they are", async () => {
    const file = write(
      'own.yaml',
      [
        'name: Own',
        'providers:',
        '  offline: { use: mock }',
        'profiles:',
        '  writer: { provider: offline, model: m, temperature: 0.2, retries: 1, timeout: 5s }',
        'default_profile: writer',
        'phases:',
        '  - name: P',
        '    tasks:',
        '      - context_name: a',
        '        prompt: hi',
        '',
      ].join('\n'),
    );
    const workflow = await loadWorkflow(file);
    const setup = await setUpProviders({ workflow, workflowFile: file, env: {} });
    expect(Object.keys(setup.providers)).toEqual(['offline']);
    expect(setup.profiles).toEqual({
      writer: {
        provider: 'offline',
        model: 'm',
        params: { temperature: 0.2 },
        retry: { retries: 1 },
        timeoutMs: 5000,
      },
    });
    expect(setup.defaultProvider).toBe('offline');
    expect(setup.notice).toBeUndefined();
    expect(setup.rateLimits).toEqual({});
    const result = await new MultiContextOrchestrator(setup).run(workflow).result;
    expect(result.status).toBe('succeeded');
    expect(result.phases[0]?.results[0]?.profile).toBe('writer');
  });

  it("passes a profile's tools and max_steps on, and the orchestrator takes them", async () => {
    const file = write(
      'tools.yaml',
      [
        'name: Tools',
        'providers:',
        '  offline: { use: mock }',
        'profiles:',
        '  agent: { provider: offline, tools: [lookup], max_steps: 4 }',
        'default_profile: agent',
        'phases:',
        '  - name: P',
        '    tasks:',
        '      - { context_name: a, prompt: hi, max_steps: 2 }',
        '',
      ].join('\n'),
    );
    const workflow = await loadWorkflow(file);
    expect(workflow.phases[0]!.tasks[0]!.maxSteps).toBe(2);
    const setup = await setUpProviders({ workflow, workflowFile: file, env: {} });
    expect(setup.profiles.agent).toMatchObject({ tools: ['lookup'], maxSteps: 4 });
    const lookup = {
      name: 'lookup',
      description: 'Looks up.',
      inputSchema: { type: 'object' },
      execute: () => 'found',
    };
    const result = await new MultiContextOrchestrator({ ...setup, tools: { lookup } }).run(workflow)
      .result;
    expect(result.status).toBe('succeeded');
    expect(() => new MultiContextOrchestrator(setup).run(workflow)).toThrow(
      /names tool "lookup", which is not one of the orchestrator's tools \(it has none\)/,
    );
  });

  it('gives the rate limits of the providers the workflow uses', async () => {
    const file = write(
      'limited.yaml',
      [
        'name: Limited',
        'providers:',
        '  paced: { use: mock, rate_limit: { requests: 30, per: 10s, by: model } }',
        '  unused: { use: mock, rate_limit: { requests: 1 } }',
        '  free: { use: mock }',
        'profiles:',
        '  a: { provider: paced }',
        '  b: { provider: free }',
        'phases:',
        '  - name: P',
        '    tasks:',
        '      - { context_name: a, prompt: hi, profile: a }',
        '      - { context_name: b, prompt: hi, profile: b }',
        '',
      ].join('\n'),
    );
    const workflow = await loadWorkflow(file);
    const setup = await setUpProviders({ workflow, workflowFile: file, env: {} });
    expect(setup.rateLimits).toEqual({ paced: { requests: 30, perMs: 10_000, by: 'model' } });
  });

  it('holds the providers to their rate limits in this process, unless the host applies them', async () => {
    const file = write(
      'one-a-minute.yaml',
      [
        'name: Slow',
        'providers:',
        '  paced: { use: mock, rate_limit: { requests: 1 } }',
        'phases:',
        '  - name: P',
        '    execution_mode: parallel',
        '    tasks:',
        '      - { context_name: a, prompt: hi }',
        '      - { context_name: b, prompt: hi }',
        '',
      ].join('\n'),
    );
    const workflow = await loadWorkflow(file);
    const settle = async (applyRateLimits: boolean) => {
      const setup = await setUpProviders({
        workflow,
        workflowFile: file,
        env: {},
        applyRateLimits,
      });
      const run = new MultiContextOrchestrator(setup).run(workflow);
      const ends: string[] = [];
      run.on('task:end', (end) => {
        if (end.status === 'succeeded') ends.push(end.taskId);
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      run.cancel('enough');
      await run.result;
      return ends.length;
    };
    // One call a minute: the second task waits (and is cancelled); without the limit both answer.
    expect(await settle(true)).toBe(1);
    expect(await settle(false)).toBe(2);
  });

  it('runs on the offline provider when nothing is configured, with the mock settings given', async () => {
    const workflow = defineWorkflow({
      name: 'Bare',
      phases: [
        {
          name: 'P',
          tasks: [
            { contextName: 'a', prompt: 'hi' },
            { contextName: 'b', prompt: 'ho' },
          ],
        },
      ],
    });
    const setup = await setUpProviders({ workflow, env: {}, mock: { failContexts: ['b'] } });
    expect(setup.notice).toMatch(/offline mock provider answers/);
    const orchestrator = new MultiContextOrchestrator({ ...setup, retry: { retries: 0 } });
    const result = await orchestrator.run(workflow).result;
    expect(result.phases[0]?.results.map((task) => task.status)).toEqual(['succeeded', 'failed']);
  });

  it('makes the providers of the use: names the host registers, and of plugin modules', async () => {
    write(
      'plugin.mjs',
      [
        `import { defineProvider } from ${JSON.stringify(PROVIDER_URL)};`,
        'export default (options) => defineProvider({ id: options.id, complete: async ({ prompt }) => options.region + ": " + prompt });',
        '',
      ].join('\n'),
    );
    const workflow = defineWorkflow({
      name: 'Mixed',
      providers: {
        mine: { use: './plugin.mjs', options: { region: 'eu' } },
        host: { use: 'echo' },
      },
      profiles: { writer: { provider: 'mine' }, editor: { provider: 'host' } },
      phases: [
        {
          name: 'P',
          tasks: [
            { contextName: 'a', prompt: 'hi', profile: 'writer' },
            { contextName: 'b', prompt: 'ho', profile: 'editor' },
          ],
        },
      ],
    });
    const setup = await setUpProviders({
      workflow,
      workflowFile: { source: 'mixed.yaml', path: join(dir, 'mixed.yaml') },
      env: {},
      factories: {
        echo: (options) =>
          defineProvider({ id: options.id, complete: async ({ prompt }) => `echo ${prompt}` }),
      },
    });
    expect(setup.defaultProvider).toBeUndefined();
    const result = await new MultiContextOrchestrator(setup).run(workflow).result;
    expect(result.phases[0]?.results.map((task) => task.response)).toEqual(['eu: hi', 'echo ho']);
  });

  it('throws every problem of the check and of making the providers together, API keys taken out', async () => {
    write('broken.mjs', 'export default () => ({ not: "a provider" });\n');
    write('leaky.mjs', "export default () => { throw new Error('refused sk-live-123'); };\n");
    const file = write(
      'broken.yaml',
      [
        'name: Broken',
        'providers:',
        '  mine: { use: ./broken.mjs }',
        '  claude: { use: anthropic, api_key_env: MY_KEY }',
        '  leaky: { use: ./leaky.mjs }',
        'profiles:',
        '  writer: { provider: mine, model: m }',
        '  editor: { provider: claude }',
        '  reviewer: { provider: leaky }',
        'phases:',
        '  - name: P',
        '    tasks:',
        '      - { context_name: a, prompt: hi, profile: writer }',
        '      - { context_name: b, prompt: hi, profile: editr }',
        '      - { context_name: c, prompt: hi, profile: reviewer }',
        '',
      ].join('\n'),
    );
    const error = await setUpProviders({
      workflow: await loadWorkflow(file),
      workflowFile: { source: 'broken.yaml', path: file },
      env: { OPENAI_API_KEY: 'sk-live-123' },
      locate: locateIssues,
    }).catch((caught: unknown) => caught);
    expect(ProviderSetupError.isInstance(error)).toBe(true);
    expect((error as ProviderSetupError).lines).toEqual([
      'broken.yaml:3:16: provider "mine": the factory of "./broken.mjs" returned an object without specificationVersion, not a provider of specification v1 (make it with defineProvider from @multi-context/provider)',
      'broken.yaml:4:42: provider "claude": the API key variable MY_KEY is not set',
      'broken.yaml:5:17: provider "leaky": refused [redacted]',
      'broken.yaml:8:3: profile "editor" names no model, and provider "claude" (anthropic) has no default_model: add model: to the profile',
      'broken.yaml:14:49: profile "editr" is not defined; did you mean "editor"?',
    ]);
  });
});
