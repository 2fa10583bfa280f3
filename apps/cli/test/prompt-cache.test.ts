import type { RunEvent } from '@multi-context/events';
import { type ChatServer, startChatServer } from '@multi-context/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { announcedRunId } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

// Prompt caching from the command line: an Anthropic-wire server that bills
// cache reads and writes as the API does, three tasks in one context.

const KEY = { E2E_ANTHROPIC_KEY: 'sk-ant-e2e-cache' };
const SYSTEM = 'You review chapters carefully and answer in one sentence. '.repeat(20);

let server: ChatServer | undefined;
let space: Workspace | undefined;
afterEach(async () => {
  await server?.close();
  space?.remove();
});

async function setUp(promptCache?: string) {
  server = await startChatServer({ wire: 'anthropic', promptCache: { minTokens: 100 } });
  space = workspace({
    'workflow.yaml': [
      'name: Chapters',
      'phases:',
      '  - name: Review',
      '    tasks:',
      '      - { context_name: book, prompt: Review chapter one., profile: reviewer }',
      '      - { context_name: book, prompt: Review chapter two., profile: reviewer }',
      '      - { context_name: book, prompt: Review chapter three., profile: reviewer }',
      '',
    ].join('\n'),
    'profiles.yaml': [
      'providers:',
      `  claude: { use: anthropic, base_url: "${server.baseURL}", api_key_env: E2E_ANTHROPIC_KEY }`,
      'profiles:',
      `  reviewer: { provider: claude, model: claude-sonnet-5-5, system: "${SYSTEM}"${promptCache === undefined ? '' : `, prompt_cache: ${promptCache}`} }`,
      '',
    ].join('\n'),
  });
  return { server, space };
}

const usageOf = (events: RunEvent[]) =>
  events.flatMap((event) => (event.type === 'task:end' ? [event.usage] : []));

/** `12,345 (1,000 in, 9,000 cache read, 300 cache write, 2,045 out)` of what the server billed for these calls. */
function billedText(calls: ChatServer['calls']): string {
  const sum = (pick: (bill: NonNullable<ChatServer['calls'][number]['billed']>) => number) =>
    calls.reduce((total, call) => total + pick(call.billed!), 0);
  // Every answer is "Hello, world!": 4 approximate tokens.
  const out = 4 * calls.length;
  const read = sum((bill) => bill.cacheReadTokens ?? 0);
  const write = sum((bill) => bill.cacheWriteTokens ?? 0);
  const input = sum((bill) => bill.inputTokens);
  const f = (n: number) => n.toLocaleString('en-US');
  return `${f(input + read + write + out)} (${f(input)} in, ${f(read)} cache read, ${f(write)} cache write, ${f(out)} out)`;
}

describe('prompt caching from the command line', () => {
  it('reads each context history from the cache and shows the reads and writes in the summary and show', async () => {
    const { server, space } = await setUp();
    const plain = await runCli(['run', 'workflow.yaml', '--profiles', 'profiles.yaml'], {
      cwd: space.dir,
      env: KEY,
    });
    expect(plain.code).toBe(0);
    const billed = server.calls.map((call) => call.billed!);
    // Each task after the first reads what the one before it wrote.
    expect(billed.map((bill) => bill.cacheReadTokens)).toEqual([
      0,
      billed[0]!.cacheWriteTokens,
      billed[0]!.cacheWriteTokens! + billed[1]!.cacheWriteTokens!,
    ]);
    const expected = billedText(server.calls);
    expect(plain.stdout).toContain(`  Tokens  ${expected}`);
    const shown = await runCli(['show', announcedRunId(plain.stderr)], { cwd: space.dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`  Tokens   ${expected}`);

    // --json carries each task's usage as billed; the cache outlives the run.
    const json = await runCli(['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'], {
      cwd: space.dir,
      env: KEY,
    });
    expect(json.code).toBe(0);
    const second = server.calls.slice(3).map((call) => call.billed!);
    expect(second[0]!.cacheReadTokens).toBeGreaterThan(0);
    expect(usageOf(parseEventLines(json.stdout))).toEqual(
      second.map((bill) => ({
        inputTokens: bill.inputTokens,
        cacheReadTokens: bill.cacheReadTokens,
        cacheWriteTokens: bill.cacheWriteTokens,
        outputTokens: 4,
        totalTokens: bill.inputTokens + bill.cacheReadTokens! + bill.cacheWriteTokens! + 4,
      })),
    );
  });

  it('sends no breakpoint when the profile turns prompt_cache off', async () => {
    const { server, space } = await setUp('off');
    const { code } = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      {
        cwd: space.dir,
        env: KEY,
      },
    );
    expect(code).toBe(0);
    expect(JSON.stringify(server.calls.map((call) => call.body))).not.toContain('cache_control');
    expect(server.calls.map((call) => call.billed!.cacheReadTokens)).toEqual([0, 0, 0]);
  });
});
