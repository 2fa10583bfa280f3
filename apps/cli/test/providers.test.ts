import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatServer, startChatServer } from '@multi-context/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cliRoot, runCli } from './cli-process.js';
import { withoutPriceNotes } from './price-notes.js';
import { parallelWorkflow, parseEventLines, type Workspace, workspace } from './workspace.js';

let servers: ChatServer[] = [];
let spaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  for (const space of spaces) space.remove();
  spaces = [];
});

async function chatServer(wire: 'openai' | 'anthropic'): Promise<ChatServer> {
  const server = await startChatServer({ wire });
  servers.push(server);
  return server;
}

function files(contents: Record<string, string>): Workspace {
  const space = workspace(contents);
  spaces.push(space);
  return space;
}

/** The contract package as the CLI has it installed, for plugins written by the tests. */
const PROVIDER_PACKAGE = realpathSync(join(cliRoot, 'node_modules/@multi-context/provider'));

const ONE_TASK = parallelWorkflow([['ask', 'writer', 'Say hello']]);

describe('with no provider configured, the environment picks one and says which', () => {
  it('picks OpenAI when OPENAI_API_KEY is set (even with ANTHROPIC_API_KEY), with its default model', async () => {
    const openai = await chatServer('openai');
    const space = files({ 'workflow.yaml': ONE_TASK });
    const { code, stdout, stderr } = await runCli(['run', 'workflow.yaml', '--json'], {
      cwd: space.dir,
      env: {
        OPENAI_API_KEY: 'sk-env-1',
        ANTHROPIC_API_KEY: 'sk-ant-2',
        OPENAI_BASE_URL: openai.baseURL,
      },
    });
    expect(withoutPriceNotes(stderr)).toBe(
      'multi-context: OPENAI_API_KEY is set, so OpenAI answers, with model gpt-4o-mini (set MULTI_CONTEXT_MODEL for another).\n',
    );
    expect(code).toBe(0);
    expect(parseEventLines(stdout).at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    expect(openai.calls.map((call) => call.model)).toEqual(['gpt-4o-mini']);
    expect(openai.calls[0]!.request.headers.authorization).toBe('Bearer sk-env-1');
  });

  it('picks Anthropic when only ANTHROPIC_API_KEY is set, with the model of MULTI_CONTEXT_MODEL', async () => {
    const anthropic = await chatServer('anthropic');
    const space = files({ 'workflow.yaml': ONE_TASK });
    const { code, stderr } = await runCli(['run', 'workflow.yaml', '--json'], {
      cwd: space.dir,
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-2',
        ANTHROPIC_BASE_URL: anthropic.baseURL,
        MULTI_CONTEXT_MODEL: 'claude-haiku-5-5',
      },
    });
    expect(withoutPriceNotes(stderr)).toBe(
      'multi-context: ANTHROPIC_API_KEY is set, so Anthropic answers, with model claude-haiku-5-5 (from MULTI_CONTEXT_MODEL).\n',
    );
    expect(code).toBe(0);
    expect(anthropic.calls.map((call) => call.model)).toEqual(['claude-haiku-5-5']);
  });

  it("runs the workflow's own profiles on the provider it picks", async () => {
    const openai = await chatServer('openai');
    const space = files({
      'workflow.yaml': `${ONE_TASK}profiles:\n  writer: { model: gpt-5.4-mini, max_tokens: 64 }\n`,
    });
    const { code } = await runCli(['run', 'workflow.yaml', '--json'], {
      cwd: space.dir,
      env: { OPENAI_API_KEY: 'sk-env-1', OPENAI_BASE_URL: openai.baseURL },
    });
    expect(code).toBe(0);
    expect(openai.calls[0]!.request.body).toMatchObject({ model: 'gpt-5.4-mini', max_tokens: 64 });
  });
});

describe("--profiles and the workflow's own sections", () => {
  it("maps a profile onto the provider's request: model, system, sampling settings and params", async () => {
    const openai = await chatServer('openai');
    const anthropic = await chatServer('anthropic');
    const space = files({
      'workflow.yaml': parallelWorkflow([
        ['first', 'precise', 'One'],
        ['second', 'long', 'Two'],
      ]),
      'profiles.yaml': [
        'providers:',
        `  local: { use: openai, base_url: "${openai.baseURL}", options: { requireApiKey: false } }`,
        `  claude: { use: anthropic, base_url: "${anthropic.baseURL}", api_key_env: MY_CLAUDE_KEY, default_model: claude-haiku-5-5 }`,
        'profiles:',
        '  precise:',
        '    provider: local',
        '    model: llama3.2',
        '    system: Be precise.',
        '    temperature: 0.1',
        '    top_p: 0.9',
        '    max_tokens: 300',
        '    stop: ["###"]',
        '    seed: 7',
        '    params: { presence_penalty: 0.5, extra_body: { top_k: 40 } }',
        '  long: { provider: claude, max_tokens: 2048, stop: END }',
        '',
      ].join('\n'),
    });
    const { code, stderr } = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      { cwd: space.dir, env: { MY_CLAUDE_KEY: 'sk-ant-mine' } },
    );
    expect(withoutPriceNotes(stderr)).toBe('');
    expect(code).toBe(0);
    const local = openai.calls[0]!.request;
    expect(local.headers.authorization).toBeUndefined();
    expect(local.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be precise.' },
        { role: 'user', content: 'One' },
      ],
      temperature: 0.1,
      top_p: 0.9,
      max_tokens: 300,
      stop: ['###'],
      seed: 7,
      presence_penalty: 0.5,
      top_k: 40,
      stream: true,
      stream_options: { include_usage: true },
    });
    const claude = anthropic.calls[0]!.request;
    expect(claude.headers.authorization).toBe('Bearer sk-ant-mine');
    expect(claude.body).toMatchObject({
      model: 'claude-haiku-5-5',
      max_tokens: 2048,
      stop_sequences: ['END'],
      // Prompt caching is on by default for Anthropic: the prompt is a cache breakpoint.
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Two', cache_control: { type: 'ephemeral' } }],
        },
      ],
    });
  });

  it("lets the --profiles file win over the workflow's entries of the same name, and says so", async () => {
    const openai = await chatServer('openai');
    const inline = [
      'providers:',
      `  local: { use: openai, base_url: "${openai.baseURL}", options: { requireApiKey: false } }`,
      'profiles:',
      '  writer: { provider: local, model: from-the-workflow }',
      '  editor: { provider: local, model: editor-model }',
      '',
    ].join('\n');
    const space = files({
      'workflow.yaml':
        parallelWorkflow([
          ['draft', 'writer', 'Draft'],
          ['edit', 'editor', 'Edit'],
        ]) + inline,
      'profiles.yaml': 'profiles:\n  writer: { model: from-the-profiles-file }\n',
    });
    const alone = await runCli(['run', 'workflow.yaml', '--json'], { cwd: space.dir });
    expect(withoutPriceNotes(alone.stderr)).toBe('');
    expect(alone.code).toBe(0);
    expect(openai.calls.map((call) => [call.prompt, call.model]).sort()).toEqual([
      ['Draft', 'from-the-workflow'],
      ['Edit', 'editor-model'],
    ]);

    openai.calls.length = 0;
    const both = await runCli(['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'], {
      cwd: space.dir,
    });
    expect(withoutPriceNotes(both.stderr)).toBe(
      "multi-context: profiles.yaml replaces the workflow's profiles.writer.\n",
    );
    expect(both.code).toBe(0);
    expect(openai.calls.map((call) => [call.prompt, call.model]).sort()).toEqual([
      ['Draft', 'from-the-profiles-file'],
      ['Edit', 'editor-model'],
    ]);
  });

  it('loads a plugin by module path relative to the file that names it, and by package name', async () => {
    const plugin = (id: string) =>
      [
        "import { defineProvider } from '@multi-context/provider';",
        'export default function (options) {',
        '  return defineProvider({',
        '    id: options.id,',
        `    complete: ({ prompt, model }) => \`${id} \${options.greeting} \${model}: \${prompt}\`,`,
        '  });',
        '}',
        '',
      ].join('\n');
    const space = files({
      'workflow.yaml': parallelWorkflow([
        ['a', 'by-path', 'first'],
        ['b', 'by-package', 'second'],
      ]),
      'config/profiles.yaml': [
        'providers:',
        '  mine: { use: ./plugins/echo.mjs, options: { greeting: hi } }',
        '  theirs: { use: echo-provider, options: { greeting: hello } }',
        'profiles:',
        '  by-path: { provider: mine, model: m1 }',
        '  by-package: { provider: theirs, model: m2 }',
        '',
      ].join('\n'),
      // createProvider, a named export, is the other shape the CLI takes.
      'config/plugins/echo.mjs': plugin('path'),
      'config/node_modules/echo-provider/package.json': JSON.stringify({
        name: 'echo-provider',
        type: 'module',
        exports: { '.': { import: './index.js' } },
      }),
      'config/node_modules/echo-provider/index.js': plugin('package').replace(
        'export default function',
        'export function createProvider',
      ),
    });
    // The plugins import the contract from wherever they are installed: here, a link to this one.
    space.link('config/node_modules/@multi-context/provider', PROVIDER_PACKAGE);
    const { code, stdout, stderr } = await runCli(
      [
        'run',
        space.path('workflow.yaml'),
        '--profiles',
        space.path('config/profiles.yaml'),
        '--json',
        // Run from the package folder (paths resolve from the profiles file, not from here);
        // no journal, so nothing is written into the package.
        '--no-journal',
      ],
      { cwd: cliRoot },
    );
    expect(withoutPriceNotes(stderr)).toBe('');
    expect(code).toBe(0);
    const responses = parseEventLines(stdout).flatMap((event) =>
      event.type === 'task:end' ? [[event.taskId, event.response]] : [],
    );
    expect(responses.sort()).toEqual([
      ['a', 'path hi m1: first'],
      ['b', 'package hello m2: second'],
    ]);
  });

  it('runs an AI SDK model through a module whose factory wraps it (use: ai-sdk is for code)', async () => {
    const openai = await chatServer('openai');
    const space = files({
      'workflow.yaml': ONE_TASK,
      'profiles.yaml': [
        'providers:',
        `  sdk: { use: ./ai-sdk-provider.mjs, base_url: "${openai.baseURL}", default_model: qwen3 }`,
        '',
      ].join('\n'),
      'ai-sdk-provider.mjs': [
        "import { createOpenAICompatible } from '@ai-sdk/openai-compatible';",
        "import { createAISDKProvider } from '@multi-context/provider-ai-sdk';",
        'export default function createProvider({ id, baseURL, defaultModel }) {',
        '  const models = createOpenAICompatible({ name: id, baseURL, includeUsage: true });',
        '  return createAISDKProvider((modelId) => models(modelId), { id, defaultModel });',
        '}',
        '',
      ].join('\n'),
    });
    for (const name of ['@ai-sdk/openai-compatible', '@multi-context/provider-ai-sdk', 'ai']) {
      space.link(`node_modules/${name}`, realpathSync(join(cliRoot, 'node_modules', name)));
    }
    const { code, stdout, stderr } = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      { cwd: space.dir },
    );
    expect(withoutPriceNotes(stderr)).toBe('');
    expect(code).toBe(0);
    const end = parseEventLines(stdout).find((event) => event.type === 'task:end');
    expect(end).toMatchObject({ status: 'succeeded', response: 'Hello, world!' });
    expect(openai.calls.map((call) => call.model)).toEqual(['qwen3']);
  });

  it('answers a task that names no profile with the profile named "default", as core does', async () => {
    const first = await chatServer('openai');
    const second = await chatServer('openai');
    const space = files({
      'workflow.yaml':
        'name: Defaults\nphases:\n  - name: Ask\n    tasks:\n      - context_name: c\n        prompt: Hi\n',
      'profiles.yaml': [
        'providers:',
        `  first: { use: openai, base_url: "${first.baseURL}", options: { requireApiKey: false } }`,
        `  second: { use: openai, base_url: "${second.baseURL}", options: { requireApiKey: false } }`,
        'profiles:',
        '  default: { provider: second, model: fallback }',
        '  other: { provider: first, model: unused }',
        '',
      ].join('\n'),
    });
    const { code, stderr } = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      {
        cwd: space.dir,
      },
    );
    expect(withoutPriceNotes(stderr)).toBe('');
    expect(code).toBe(0);
    expect(first.calls).toHaveLength(0);
    expect(second.calls.map((call) => call.model)).toEqual(['fallback']);
  });
});
