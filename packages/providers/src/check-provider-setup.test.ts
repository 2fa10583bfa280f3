import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfiles, loadWorkflow, locateIssues } from '@multi-context/loader';
import { defineWorkflow } from '@multi-context/workflow';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProviderSetup } from './check-provider-setup.js';
import { formatSetupIssue } from './located-setup-issue.js';

const dir = mkdtempSync(join(tmpdir(), 'check-provider-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to `name` in the test folder and returns its path. */
function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const TASKS = [
  'phases:',
  '  - name: P',
  '    tasks:',
  '      - context_name: a',
  '        prompt: hi',
  '',
].join('\n');

describe('checkProviderSetup', () => {
  it('lets the environment pick the provider when none is configured, and says which', async () => {
    const workflow = await loadWorkflow(write('bare.yaml', `name: Bare\n${TASKS}`));
    const offline = await checkProviderSetup({ workflow, env: {} });
    expect(offline.issues.count).toBe(0);
    expect([...offline.used]).toEqual(['mock']);
    expect(offline.notice).toMatch(
      /no provider configured .* so the offline mock provider answers/,
    );
    const openai = await checkProviderSetup({
      workflow,
      env: { OPENAI_API_KEY: 'sk-one', MULTI_CONTEXT_MODEL: 'gpt-x' },
    });
    expect([...openai.used]).toEqual(['openai']);
    expect(openai.notice).toBe(
      'OPENAI_API_KEY is set, so OpenAI answers, with model gpt-x (from MULTI_CONTEXT_MODEL).',
    );
    expect(openai.secrets).toEqual(['sk-one']);
  });

  it('reports every problem of both files at its line and column, the profiles file first', async () => {
    const workflowFile = write(
      'workflow.yaml',
      [
        'name: W',
        'default_profile: writr',
        'providers:',
        '  gpt: { use: opnai }',
        'profiles:',
        '  writer: { provider: gpt, model: m }',
        TASKS,
      ].join('\n'),
    );
    const profilesFile = write(
      'profiles.yaml',
      ['profiles:', '  editor: { provider: claude, model: m }', ''].join('\n'),
    );
    const check = await checkProviderSetup({
      workflow: await loadWorkflow(workflowFile),
      workflowFile: { source: 'workflow.yaml', path: workflowFile },
      profiles: await loadProfiles(profilesFile),
      profilesFile: { source: 'profiles.yaml', path: profilesFile },
      env: {},
      locate: locateIssues,
    });
    expect(check.issues.located().map(formatSetupIssue)).toEqual([
      'profiles.yaml:2:23: profile "editor" names provider "claude", which is not defined (providers: gpt)',
      'workflow.yaml:2:18: profile "writr" is not defined; did you mean "writer"?',
      'workflow.yaml:4:15: provider "gpt": unknown provider "opnai"; did you mean "openai"? (built-in providers: openai, anthropic, mock)',
    ]);
  });

  it('checks entries as written for `entries`, and what a run needs for `run`, a missing key as told', async () => {
    const workflowFile = write(
      'keys.yaml',
      ['name: K', 'providers:', '  gpt: { use: openai, default_model: m }', TASKS].join('\n'),
    );
    const workflow = await loadWorkflow(workflowFile);
    const entries = await checkProviderSetup({ workflow, env: {}, scope: 'entries' });
    expect(entries.issues.count).toBe(0);
    // A path names the file as given: here an absolute one.
    const run = await checkProviderSetup({
      workflow,
      workflowFile,
      env: {},
      missingApiKey: 'warning',
    });
    const [issue] = run.issues.located();
    expect(run.issues.hasErrors).toBe(false);
    expect(issue?.severity).toBe('warning');
    expect(formatSetupIssue(issue!)).toMatch(
      /keys\.yaml: providers\.gpt: warning: provider "gpt": the API key variable OPENAI_API_KEY is not set/,
    );
    expect((await checkProviderSetup({ workflow, env: {} })).issues.hasErrors).toBe(true);
  });

  it('names no file for a workflow made in code', async () => {
    const workflow = defineWorkflow({
      name: 'Code',
      providers: { local: { use: 'mok' } },
      phases: [{ name: 'P', tasks: [{ contextName: 'a', prompt: 'hi' }] }],
    });
    const check = await checkProviderSetup({ workflow, env: {} });
    expect(check.issues.located().map(formatSetupIssue)).toEqual([
      'multi-context: provider "local": unknown provider "mok"; did you mean "mock"? (built-in providers: openai, anthropic, mock)',
    ]);
  });

  it('looks for a plugin module and does not import it', async () => {
    write('plugin.mjs', 'globalThis.pluginImported = true;\nexport default () => ({});\n');
    const workflow = defineWorkflow({
      name: 'Plugin',
      providers: { mine: { use: './plugin.mjs' }, gone: { use: './missing.mjs' } },
      profiles: { writer: { provider: 'mine', model: 'm' } },
      phases: [{ name: 'P', tasks: [{ contextName: 'a', prompt: 'hi', profile: 'writer' }] }],
    });
    const check = await checkProviderSetup({
      workflow,
      workflowFile: { source: 'plugin.yaml', path: join(dir, 'plugin.yaml') },
      env: {},
    });
    expect([...check.used]).toEqual(['mine']);
    expect(check.issues.located().map(formatSetupIssue)).toEqual([
      `plugin.yaml: providers.gone.use: provider "gone": cannot load "./missing.mjs": there is no file ${join(dir, 'missing.mjs')}`,
    ]);
    expect((globalThis as { pluginImported?: boolean }).pluginImported).toBeUndefined();
  });

  it('knows the use: names the host registers, before the built-in ones', async () => {
    const workflow = defineWorkflow({
      name: 'Host',
      providers: { sdk: { use: 'ai-sdk' }, gpt: { use: 'openai' } },
      profiles: { writer: { provider: 'sdk' }, editor: { provider: 'gpt' } },
      phases: [{ name: 'P', tasks: [{ contextName: 'a', prompt: 'hi', profile: 'writer' }] }],
    });
    const check = await checkProviderSetup({
      workflow,
      env: {},
      factories: { 'ai-sdk': () => ({}) as never, openai: () => ({}) as never },
    });
    // The host's openai needs no model or key of the built-in one.
    expect(check.issues.count).toBe(0);
  });

  it('refuses a param the built-in provider would refuse, where it is written', async () => {
    const file = write(
      'params.yaml',
      [
        'name: Params',
        'providers:',
        '  gpt: { use: openai, default_model: m }',
        '  claude: { use: anthropic, default_model: m }',
        'profiles:',
        '  writer: { provider: gpt, params: { temprature: 0.2 } }',
        '  editor: { provider: claude, seed: 7 }',
        TASKS,
      ].join('\n'),
    );
    const check = await checkProviderSetup({
      workflow: await loadWorkflow(file),
      workflowFile: { source: 'params.yaml', path: file },
      env: {},
      locate: locateIssues,
      scope: 'entries',
    });
    expect(check.issues.located().map(formatSetupIssue)).toEqual([
      expect.stringMatching(
        /^params\.yaml:6:38: profile "writer": Unknown parameter "temprature" for provider "gpt"/,
      ),
      expect.stringMatching(
        /^params\.yaml:7:31: profile "editor": claude: unknown parameter "seed"/,
      ),
    ]);
  });

  it('takes prompt_cache for Anthropic and refuses a time-to-live for OpenAI, where it is written', async () => {
    const file = write(
      'cache.yaml',
      [
        'name: Cache',
        'providers:',
        '  gpt: { use: openai, default_model: m }',
        '  claude: { use: anthropic, default_model: m }',
        'profiles:',
        '  writer: { provider: claude, prompt_cache: 1h }',
        '  editor: { provider: gpt, prompt_cache: 1h }',
        '  reviewer: { provider: gpt, prompt_cache: off }',
        TASKS,
      ].join('\n'),
    );
    const check = await checkProviderSetup({
      workflow: await loadWorkflow(file),
      workflowFile: { source: 'cache.yaml', path: file },
      env: {},
      locate: locateIssues,
      scope: 'entries',
    });
    expect(check.issues.located().map(formatSetupIssue)).toEqual([
      expect.stringMatching(
        /^cache\.yaml:7:28: profile "editor": Parameter "prompt_cache" for provider "gpt" must be on or off, got "1h"/,
      ),
    ]);
  });
});
