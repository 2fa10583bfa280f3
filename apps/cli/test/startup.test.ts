import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';
import { workspace } from './workspace.js';

// A module resolve hook that writes every package specifier the process imports to LOAD_LOG.
const space = workspace({
  'hooks.mjs': `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  if (!/^(\\.|\\/|node:|file:|data:)/.test(specifier)) appendFileSync(process.env.LOAD_LOG, specifier + '\\n');
  return nextResolve(specifier, context);
}
`,
  'register.mjs': `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
`,
});
afterAll(() => space.remove());

let runs = 0;

/** The packages `multi-context <args>` imports, and how it ended. */
async function packagesLoadedBy(args: string[]) {
  const log = space.path(`loaded-${++runs}.txt`);
  const outcome = await runCli(args, {
    env: { LOAD_LOG: log },
    nodeArgs: ['--import', pathToFileURL(space.path('register.mjs')).href],
  });
  const loaded = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
  return { outcome, loaded };
}

/** The packages only a run needs: the orchestrator, the journal, the providers and their SDKs, and the queue of --redis. */
const RUN_PACKAGES = [
  '@multi-context/core',
  '@multi-context/journal',
  '@multi-context/provider',
  '@multi-context/provider-mock',
  '@multi-context/provider-openai',
  '@multi-context/provider-anthropic',
  'openai',
  '@anthropic-ai/sdk',
  'rxjs',
  'log-update',
  '@multi-context/bullmq',
  'bullmq',
  'ioredis',
  '@multi-context/journal-redis',
  '@multi-context/web',
];

describe('what a command loads', () => {
  it.each([
    ['--help', ['--help']],
    ['run --help', ['run', '--help']],
    ['worker --help', ['worker', '--help']],
    ['validate', ['validate', fixture('example_workflow.yaml')]],
    [
      'validate of a broken workflow',
      ['validate', space.write({ 'bad.yaml': 'name: x\nphases: 3\n' }).path('bad.yaml')],
    ],
    ['schema', ['schema']],
    [
      'validate --strict of providers and profiles (a plugin is looked for, not loaded)',
      [
        'validate',
        '--strict',
        '--profiles',
        space
          .write({
            'plugin.mjs': "import '@multi-context/provider';\nexport default () => ({});\n",
            'profiles.yaml': [
              'providers:',
              '  mine: { use: ./plugin.mjs }',
              '  gpt: { use: openai, default_model: m }',
              '  offline: { use: mock }',
              'profiles:',
              '  researcher: { provider: mine, model: m }',
              '  writer: { provider: gpt }',
              '  general-assistant: { provider: offline, temperature: 0.2 }',
              '  editor: { provider: offline }',
              '  technical-editor: { provider: offline }',
              '',
            ].join('\n'),
          })
          .path('profiles.yaml'),
        fixture('example_workflow.yaml'),
      ],
    ],
    [
      'validate --strict of profiles that set params of OpenAI and Anthropic (checked by their light params entries)',
      [
        'validate',
        '--strict',
        '--profiles',
        space
          .write({
            'params.yaml': [
              'providers:',
              '  gpt: { use: openai, default_model: m }',
              '  claude: { use: anthropic, default_model: m }',
              'profiles:',
              '  researcher: { provider: gpt, temperature: 0.2, params: { presence_penalty: 0.5 } }',
              '  writer: { provider: claude, max_tokens: 1024, params: { stop_sequences: ["###"] } }',
              '  general-assistant: { provider: gpt }',
              '  editor: { provider: claude }',
              '  technical-editor: { provider: gpt }',
              '',
            ].join('\n'),
          })
          .path('params.yaml'),
        fixture('example_workflow.yaml'),
      ],
    ],
  ])('%s loads none of the packages of a run', async (_, args) => {
    const { outcome, loaded } = await packagesLoadedBy(args);
    expect(outcome.stderr).not.toMatch(/Error|at .*\.js/);
    // What it does need is loaded, which shows the hook at work.
    expect(loaded).toContain('commander');
    for (const name of RUN_PACKAGES) expect(loaded, name).not.toContain(name);
    if (args.some((arg) => arg.endsWith('params.yaml'))) {
      // The params were checked, by the entries that hold only the params check.
      expect(loaded).toContain('@multi-context/provider-openai/params');
      expect(loaded).toContain('@multi-context/provider-anthropic/params');
    }
  });

  it('a run on the offline provider loads the orchestrator and that provider, and no SDK', async () => {
    const { outcome, loaded } = await packagesLoadedBy([
      'run',
      fixture('example_workflow.yaml'),
      '--no-journal',
      '--mock-delay',
      '0',
      '--quiet',
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(loaded).toContain('@multi-context/core');
    expect(loaded).toContain('@multi-context/provider-mock');
    expect(loaded).not.toContain('@multi-context/provider-openai');
    expect(loaded).not.toContain('@multi-context/provider-anthropic');
    expect(loaded).not.toContain('openai');
    expect(loaded).not.toContain('@anthropic-ai/sdk');
    // Only --redis needs the queue.
    expect(loaded).not.toContain('@multi-context/bullmq');
    expect(loaded).not.toContain('bullmq');
    expect(loaded).not.toContain('ioredis');
    // Only --redis keeps the journal in Redis.
    expect(loaded).toContain('@multi-context/journal');
    expect(loaded).not.toContain('@multi-context/journal-redis');
    // Only --ui, ui and report need the web view.
    expect(loaded).not.toContain('@multi-context/web');
  });

  it('a run with --ui loads the web view', async () => {
    const { outcome, loaded } = await packagesLoadedBy([
      'run',
      fixture('example_workflow.yaml'),
      '--no-journal',
      '--mock-delay',
      '0',
      '--quiet',
      '--ui',
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(loaded).toContain('@multi-context/web');
  });
});
