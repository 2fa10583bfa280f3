import { type ChatServer, startChatServer } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { parallelWorkflow, type Workspace, workspace } from './workspace.js';

// Every mistake is reported before any call: each test's server must see none.
let server: ChatServer;
let space: Workspace;
beforeAll(async () => {
  server = await startChatServer({ wire: 'openai' });
  space = workspace({
    'workflow.yaml': parallelWorkflow([
      ['research', 'researcher', 'Research'],
      ['draft', 'writr', 'Draft'],
    ]),
    'no-factory.mjs': 'export const version = 1;\n',
    'not-a-provider.mjs': 'export default () => ({ id: "x", stream: () => null });\n',
    'throws.mjs':
      'export function createProvider(options) { throw new Error("no endpoint for " + options.id); }\n',
    'broken.mjs': 'export default function ( {\n',
  });
});
afterAll(async () => {
  await server.close();
  space.remove();
});

/** Runs the workflow with `profiles` as its profiles file; expects exit 2 and no call made. */
async function setUpError(profiles: string[], env: Record<string, string> = {}) {
  space.write({ 'profiles.yaml': [...profiles, ''].join('\n') });
  const { code, stdout, stderr } = await runCli(
    ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
    { cwd: space.dir, env },
  );
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(server.calls).toHaveLength(0);
  return stderr.trimEnd().split('\n');
}

describe('provider setup errors: one line each, at file:line:col, exit 2, before any call', () => {
  it('reports every mistake of the files at once', async () => {
    const lines = await setUpError([
      'providers:',
      `  local: { use: opnai, base_url: "${server.baseURL}" }`,
      '  sdk: { use: ai-sdk }',
      '  gone: { use: ./missing.mjs }',
      '  claude: { use: anthropic }',
      'profiles:',
      '  researcher: { provider: claude, temperature: 0.2 }',
      '  writer: { provider: claude, model: m, max_tokens: 10, params: { maxTokens: 20 } }',
    ]);
    expect(lines).toEqual([
      'profiles.yaml:2:17: provider "local": unknown provider "opnai"; did you mean "openai"? (built-in providers: openai, anthropic, mock)',
      'profiles.yaml:3:15: provider "sdk": "ai-sdk" cannot be used from a file: the AI SDK provider wraps a model object, so it is made in code (createAISDKProvider from @multi-context/provider-ai-sdk); to use it here, write a module that exports a factory returning it, and name that module in use:',
      `profiles.yaml:4:16: provider "gone": cannot load "./missing.mjs": there is no file ${space.path('missing.mjs')}`,
      'profiles.yaml:5:3: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
      'profiles.yaml:7:3: profile "researcher" names no model, and provider "claude" (anthropic) has no default_model: add model: to the profile',
      'profiles.yaml:7:35: profile "researcher": claude: unknown parameter "temperature". Known: max_tokens, stop_sequences, metadata, thinking, output_config, service_tier, speed, inference_geo, prompt_cache; put other body fields in "extra_body".',
      'profiles.yaml:8:67: profile "writer" sets max_tokens twice, as max_tokens and in params: keep one',
      'workflow.yaml:12:18: profile "writr" is not defined; did you mean "writer"?',
    ]);
  });

  it('names the API key variable that is not set, and how to run without a key', async () => {
    const lines = await setUpError([
      'providers:',
      `  local: { use: openai, base_url: "${server.baseURL}", api_key_env: OLLAMA_API_KEY }`,
      '  claude: { use: anthropic, default_model: claude-haiku-5-5 }',
      'profiles:',
      '  researcher: { provider: local, model: llama3.2 }',
      '  writr: { provider: claude }',
    ]);
    expect(lines).toEqual([
      'profiles.yaml:2:77: provider "local": the API key variable OLLAMA_API_KEY is not set; for a server that needs no key, add options: { requireApiKey: false }',
      'profiles.yaml:3:3: provider "claude": the API key variable ANTHROPIC_API_KEY is not set',
    ]);
  });

  it.each([
    [
      'no-factory.mjs',
      'provider "mine": "./no-factory.mjs" does not export a provider factory: export a function (options) => provider as its default export or as createProvider (it exports version)',
    ],
    [
      'not-a-provider.mjs',
      'provider "mine": the factory of "./not-a-provider.mjs" returned an object without specificationVersion, not a provider of specification v1 (make it with defineProvider from @multi-context/provider)',
    ],
    ['throws.mjs', 'provider "mine": no endpoint for mine'],
  ])('refuses a plugin module %s', async (file, message) => {
    const lines = await setUpError([
      'providers:',
      `  mine: { use: ./${file} }`,
      'profiles:',
      '  researcher: { provider: mine }',
      '  writr: { provider: mine }',
    ]);
    expect(lines).toEqual([`profiles.yaml:2:16: ${message}`]);
  });

  it('refuses a plugin module that does not load, with the reason', async () => {
    const lines = await setUpError([
      'providers:',
      '  mine: { use: ./broken.mjs }',
      'profiles:',
      '  researcher: { provider: mine }',
      '  writr: { provider: mine }',
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^profiles\.yaml:2:16: provider "mine": cannot load "\.\/broken\.mjs": .+/,
    );
  });

  it('refuses an API key written in a file', async () => {
    const lines = await setUpError([
      'providers:',
      `  local: { use: openai, base_url: "${server.baseURL}", options: { apiKey: sk-oops } }`,
      'profiles:',
      '  researcher: { provider: local, model: m }',
      '  writr: { provider: local, model: m }',
    ]);
    expect(lines).toEqual([
      'profiles.yaml:2:3: provider "local": the API key variable OPENAI_API_KEY is not set; for a server that needs no key, add options: { requireApiKey: false }',
      'profiles.yaml:2:75: provider "local": never write an API key in a file; put it in an environment variable and name that variable in api_key_env',
    ]);
  });

  it('asks for profiles when several providers are defined and none is', async () => {
    const lines = await setUpError([
      'providers:',
      `  one: { use: openai, base_url: "${server.baseURL}", options: { requireApiKey: false } }`,
      '  two: { use: mock }',
    ]);
    expect(lines).toEqual([
      'workflow.yaml:6:9: profile "researcher" is not defined, and there are several providers (one, two) to choose from: name a profile that names one',
    ]);
  });
});
