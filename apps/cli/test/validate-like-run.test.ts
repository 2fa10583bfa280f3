import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { parallelWorkflow, type Workspace, workspace } from './workspace.js';

// `validate --strict --profiles <file>` promises the errors that `run --profiles
// <file>` would stop on before its first call. Both use one check, and these
// tests hold them to it on profiles files with every kind of mistake.

const noStackTrace = /^\s+at /m;

let space: Workspace;
beforeAll(() => {
  space = workspace({
    'workflow.yaml': parallelWorkflow([
      ['research', 'researcher', 'Research'],
      ['draft', 'writer', 'Draft'],
    ]),
    'misspelt.yaml': parallelWorkflow([['draft', 'writr', 'Draft']]),
    'no-factory.mjs': 'export const version = 1;\n',
  });
});
afterAll(() => space.remove());

/** The `file:line:col: message` and `multi-context: message` lines of what `run` or `validate` printed. */
function problemLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\S+:\d+:\d+: /.test(line) || line.startsWith('multi-context: '))
    .filter((line) => !line.startsWith('multi-context: --strict: '));
}

/**
 * `run` and `validate --strict` of `workflow` with `profiles` as its profiles
 * file, offline (no API key set), and the problems each reports. `run` must
 * stop before starting: exit 2 and nothing on stdout.
 */
async function bothOf(profiles: string[], workflow = 'workflow.yaml') {
  space.write({ 'profiles.yaml': [...profiles, ''].join('\n') });
  const options = { cwd: space.dir };
  const run = await runCli(
    ['run', workflow, '--profiles', 'profiles.yaml', '--json', '--no-journal'],
    options,
  );
  const validate = await runCli(
    ['validate', '--strict', '--profiles', 'profiles.yaml', workflow],
    options,
  );
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  for (const outcome of [run, validate]) expect(outcome.stderr).not.toMatch(noStackTrace);
  return {
    run: problemLines(run.stderr),
    validate: problemLines(validate.stderr),
    validateOutcome: validate,
  };
}

/** `validate`'s lines with its warnings read as the errors `run` makes of them. */
const asRunErrors = (lines: string[]) => lines.map((line) => line.replace(': warning: ', ': '));

describe('validate --strict reports what run would stop on, before any call', () => {
  it("reports the issue's profiles file: unknown use:, missing module, no model, unset key", async () => {
    const { run, validate, validateOutcome } = await bothOf([
      'providers:',
      '  gpt: { use: opnai }',
      '  claude: { use: anthropic }',
      '  mine: { use: ./nope.mjs }',
      'profiles:',
      '  researcher: { provider: claude }',
      '  writer: { provider: gpt, model: m }',
      '  other: { provider: mine, model: m }',
    ]);
    expect(run).toEqual([
      'profiles.yaml:2:15: provider "gpt": unknown provider "opnai"; did you mean "openai"? (built-in providers: openai, anthropic, mock)',
      'profiles.yaml:3:3: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
      `profiles.yaml:4:16: provider "mine": cannot load "./nope.mjs": there is no file ${space.path('nope.mjs')}`,
      'profiles.yaml:6:3: profile "researcher" names no model, and provider "claude" (anthropic) has no default_model: add model: to the profile',
    ]);
    expect(validateOutcome.code).toBe(2);
    expect(validateOutcome.stdout).toBe('');
    // An unset API key is a warning under validate: CI machines often have no keys.
    expect(validate[1]).toBe(
      'profiles.yaml:3:3: warning: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
    );
    expect(asRunErrors(validate)).toEqual(run);
  });

  it.each([
    [
      'a misspelt profile, and the unset key of the profile it meant',
      'misspelt.yaml',
      [
        'providers:',
        '  claude: { use: anthropic, default_model: claude-haiku-5-5 }',
        'profiles:',
        '  writer: { provider: claude }',
      ],
    ],
    [
      'an AI SDK provider, an API key in a file, a setting given twice, a profile without a provider',
      'workflow.yaml',
      [
        'providers:',
        '  sdk: { use: ai-sdk }',
        '  key: { use: openai, options: { apiKey: sk-oops, requireApiKey: false } }',
        'profiles:',
        '  researcher: { provider: key, model: m, max_tokens: 10, params: { maxTokens: 20 } }',
        '  writer: { model: m }',
      ],
    ],
    [
      'params the provider would refuse',
      'workflow.yaml',
      [
        'providers:',
        '  local: { use: openai, options: { requireApiKey: false } }',
        '  claude: { use: anthropic, api_key_env: MY_CLAUDE_KEY }',
        'profiles:',
        '  researcher: { provider: local, model: m, params: { top_kk: 3 } }',
        '  writer: { provider: claude, model: m, temperature: 0.2 }',
      ],
    ],
  ])('%s', async (_, workflow, profiles) => {
    const { run, validate } = await bothOf(profiles, workflow);
    expect(run.length).toBeGreaterThan(0);
    expect(asRunErrors(validate)).toEqual(run);
  });

  it("reports run's several providers with no profile to pick one, and --strict's undefined profile besides", async () => {
    const { run, validate } = await bothOf(
      ['providers:', '  one: { use: mock }', '  two: { use: mock }'],
      'misspelt.yaml',
    );
    expect(run).toEqual([
      'misspelt.yaml:6:9: profile "writr" is not defined, and there are several providers (one, two) to choose from: name a profile that names one',
    ]);
    // With no profile defined, run has every task answered by the only provider; --strict asks for profiles anyway.
    expect(validate).toEqual([
      ...run,
      'misspelt.yaml:8:18: profile "writr" is not defined (no profiles are defined)',
    ]);
  });

  it('reports the unset key of the profile a misspelt name meant, with the misspelling, in one run', async () => {
    const { run } = await bothOf(
      [
        'providers:',
        '  claude: { use: anthropic, default_model: claude-haiku-5-5 }',
        'profiles:',
        '  writer: { provider: claude }',
      ],
      'misspelt.yaml',
    );
    expect(run).toEqual([
      'profiles.yaml:2:3: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
      'misspelt.yaml:8:18: profile "writr" is not defined; did you mean "writer"?',
    ]);
  });

  it('warns of an unset API key and passes, where run stops on it', async () => {
    const { run, validate, validateOutcome } = await bothOf([
      'providers:',
      '  claude: { use: anthropic, default_model: claude-haiku-5-5 }',
      'profiles:',
      '  researcher: { provider: claude }',
      '  writer: { provider: claude }',
    ]);
    expect(run).toEqual([
      'profiles.yaml:2:3: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
    ]);
    expect(asRunErrors(validate)).toEqual(run);
    expect(validateOutcome.code).toBe(0);
    expect(validateOutcome.stdout).toBe(
      '✔ workflow.yaml: Providers — 1 phase, 2 tasks, 2 contexts\n',
    );
  });

  it('reports the mistakes of the providers and profiles without --strict too, but not the profiles a workflow uses', async () => {
    space.write({
      'entries.yaml': [
        'providers:',
        '  gpt: { use: opnai }',
        'profiles:',
        '  writer: { provider: gpt, model: m }',
        '',
      ].join('\n'),
    });
    const { code, stdout, stderr } = await runCli(
      ['validate', '--profiles', 'entries.yaml', 'misspelt.yaml'],
      { cwd: space.dir },
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(problemLines(stderr)).toEqual([
      'entries.yaml:2:15: provider "gpt": unknown provider "opnai"; did you mean "openai"? (built-in providers: openai, anthropic, mock)',
    ]);
  });
});

describe('validate never runs code from the files it checks', () => {
  it('leaves what only importing a module shows to run: a module without a factory', async () => {
    space.write({
      'module.yaml': [
        'providers:',
        '  mine: { use: ./no-factory.mjs }',
        'profiles:',
        '  researcher: { provider: mine, model: m }',
        '  writer: { provider: mine, model: m }',
        '',
      ].join('\n'),
    });
    const validate = await runCli(
      ['validate', '--strict', '--profiles', 'module.yaml', 'workflow.yaml'],
      { cwd: space.dir },
    );
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const run = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'module.yaml', '--json', '--no-journal'],
      { cwd: space.dir },
    );
    expect(run.code).toBe(2);
    expect(problemLines(run.stderr)).toEqual([
      'module.yaml:2:16: provider "mine": "./no-factory.mjs" does not export a provider factory: export a function (options) => provider as its default export or as createProvider (it exports version)',
    ]);
  });

  it('finds a plugin module without importing it; run imports it', async () => {
    const marker = space.path('imported.txt');
    space.write({
      'side-effect.mjs': [
        "import { writeFileSync } from 'node:fs';",
        `writeFileSync(${JSON.stringify(marker)}, 'imported');`,
        'export default () => ({});',
        '',
      ].join('\n'),
      'plugin.yaml': [
        'providers:',
        '  mine: { use: ./side-effect.mjs }',
        'profiles:',
        '  researcher: { provider: mine, model: m }',
        '  writer: { provider: mine, model: m }',
        '',
      ].join('\n'),
    });
    for (const args of [[], ['--strict']]) {
      const { code, stderr } = await runCli(
        ['validate', ...args, '--profiles', 'plugin.yaml', 'workflow.yaml'],
        { cwd: space.dir },
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(existsSync(marker)).toBe(false);
    }
    // The same files are code to run: run imports the module (which then is no provider).
    const run = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'plugin.yaml', '--json', '--no-journal'],
      { cwd: space.dir },
    );
    expect(existsSync(marker)).toBe(true);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a provider');
  });
});
