import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatServer, startChatServer } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, cliRoot, runCli } from './cli-process.js';
import { parallelWorkflow, type Workspace, workspace } from './workspace.js';

// An API key must never be printed or written, whatever echoes it: a server
// that puts it in its error message and headers, a plugin that puts it in
// its errors. The key is a sentinel, grepped for in all a run leaves behind.
const SENTINEL = 'sk-SENTINEL-7f3a';

let good: ChatServer;
let echoing: ChatServer;
let space: Workspace;
const outputs: { name: string; outcome: CliOutcome }[] = [];

const leakyPlugin = [
  "import { defineProvider } from '@multi-context/provider';",
  'export default function (options) {',
  '  const key = process.env[options.apiKeyEnv];',
  '  if (options.failAtStart) throw new Error("cannot start with key " + key);',
  '  return defineProvider({',
  '    id: options.id,',
  '    complete: () => { throw new Error("the server refused key " + key); },',
  '  });',
  '}',
  '',
].join('\n');

beforeAll(async () => {
  good = await startChatServer({ wire: 'openai' });
  echoing = await startChatServer({
    wire: 'openai',
    reply: () => ({
      status: 401,
      message: `Incorrect API key provided: ${SENTINEL}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      headers: { 'x-echo-authorization': `Bearer ${SENTINEL}` },
    }),
  });
  const profiles = (baseURL: string, plugin: string) =>
    [
      'providers:',
      `  local: { use: openai, base_url: "${baseURL}", api_key_env: SENTINEL_KEY }`,
      `  leaky: { use: ./leaky.mjs, api_key_env: SENTINEL_KEY${plugin} }`,
      'profiles:',
      '  writer: { provider: local, model: m, retries: 0 }',
      '  leaker: { provider: leaky, retries: 0 }',
      '',
    ].join('\n');
  space = workspace({
    'workflow.yaml': parallelWorkflow([['ask', 'writer', 'Hello']]),
    'leaky.yaml': parallelWorkflow([['ask', 'leaker', 'Hello']]),
    'good.yaml': profiles(good.baseURL, ''),
    'echoing.yaml': profiles(echoing.baseURL, ''),
    'failing-start.yaml': profiles(good.baseURL, ', options: { failAtStart: true }'),
    'leaky.mjs': leakyPlugin,
  }).link(
    'node_modules/@multi-context/provider',
    realpathSync(join(cliRoot, 'node_modules/@multi-context/provider')),
  );

  const env = { SENTINEL_KEY: SENTINEL };
  const run = async (name: string, args: string[], extraEnv: Record<string, string> = {}) => {
    const outcome = await runCli(args, { cwd: space.dir, env: { ...env, ...extraEnv } });
    outputs.push({ name, outcome });
    return outcome;
  };
  await run('--json', ['run', 'workflow.yaml', '--profiles', 'good.yaml', '--json']);
  await run('plain', ['run', 'workflow.yaml', '--profiles', 'good.yaml']);
  await run('401 --json', ['run', 'workflow.yaml', '--profiles', 'echoing.yaml', '--json']);
  await run('401 plain', ['run', 'workflow.yaml', '--profiles', 'echoing.yaml']);
  await run('leaky plugin --json', ['run', 'leaky.yaml', '--profiles', 'good.yaml', '--json']);
  await run('leaky plugin plain', ['run', 'leaky.yaml', '--profiles', 'good.yaml']);
  await run('leaky factory', ['run', 'leaky.yaml', '--profiles', 'failing-start.yaml']);
  await run('from the environment, 401', ['run', 'workflow.yaml'], {
    OPENAI_API_KEY: SENTINEL,
    OPENAI_BASE_URL: echoing.baseURL,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([good.close(), echoing.close()]);
  space.remove();
});

const outcomeOf = (name: string) => outputs.find((output) => output.name === name)!.outcome;

describe('secrets', () => {
  it('were really in play: the servers got the key, and the echoes reached the CLI', () => {
    expect(good.calls.length).toBeGreaterThan(0);
    expect(echoing.calls.length).toBeGreaterThan(0);
    for (const call of [...good.calls, ...echoing.calls]) {
      expect(call.request.headers.authorization).toBe(`Bearer ${SENTINEL}`);
    }
    expect(outcomeOf('--json').code).toBe(0);
    expect(outcomeOf('plain').code).toBe(0);
    for (const name of ['401 --json', '401 plain', 'from the environment, 401']) {
      expect(outcomeOf(name).code).toBe(1);
      expect(outcomeOf(name).stdout).toContain('Incorrect API key provided: [redacted]');
    }
    for (const name of ['leaky plugin --json', 'leaky plugin plain']) {
      expect(outcomeOf(name).code).toBe(1);
      expect(outcomeOf(name).stdout).toContain('the server refused key [redacted]');
    }
    expect(outcomeOf('leaky factory').code).toBe(2);
    expect(outcomeOf('leaky factory').stderr).toContain('cannot start with key [redacted]');
  });

  it('never appear in stdout or stderr of any run', () => {
    for (const { name, outcome } of outputs) {
      expect(outcome.stdout, `${name}: stdout`).not.toContain(SENTINEL);
      expect(outcome.stderr, `${name}: stderr`).not.toContain(SENTINEL);
    }
  });

  it('never appear in any file under the working directory (.multi-context included)', () => {
    const files = space.files();
    expect(Object.keys(files)).toContain('workflow.yaml');
    // Every run above was journaled there, the failing ones included.
    const journals = Object.keys(files).filter((name) => name.startsWith('.multi-context/runs/'));
    expect(journals.length).toBeGreaterThanOrEqual(7);
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toContain(SENTINEL);
    }
  });
});
