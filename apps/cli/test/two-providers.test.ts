import type { RunEvent } from '@multi-context/events';
import { type ChatReply, type ChatServer, startChatServer, within } from '@multi-context/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';
import { withoutPriceNotes } from './price-notes.js';
import { parallelWorkflow, parseEventLines, type Workspace, workspace } from './workspace.js';

// The "done when" of real providers: two profiles on two providers, each a
// local server speaking its API's real wire format, run by the built binary.

const KEYS = { E2E_OPENAI_KEY: 'sk-e2e-openai-1', E2E_ANTHROPIC_KEY: 'sk-ant-e2e-2' };

let servers: ChatServer[] = [];
let space: Workspace | undefined;
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  space?.remove();
});

/** An OpenAI-compatible and an Anthropic server, and a workflow with one task on each. */
async function setUp(
  openaiReply: (attempt: number) => ChatReply,
  anthropicReply: (attempt: number) => ChatReply,
) {
  const openai = await startChatServer({
    wire: 'openai',
    reply: (call) => openaiReply(call.attempt),
  });
  const anthropic = await startChatServer({
    wire: 'anthropic',
    reply: (call) => anthropicReply(call.attempt),
  });
  servers = [openai, anthropic];
  space = workspace({
    'workflow.yaml': parallelWorkflow([
      ['research', 'researcher', 'Research the market'],
      ['outline', 'writer', 'Outline the article'],
    ]),
    'profiles.yaml': [
      'providers:',
      `  local: { use: openai, base_url: "${openai.baseURL}", api_key_env: E2E_OPENAI_KEY }`,
      `  claude: { use: anthropic, base_url: "${anthropic.baseURL}", api_key_env: E2E_ANTHROPIC_KEY }`,
      'profiles:',
      '  researcher: { provider: local, model: llama3.2, temperature: 0.2, retries: 3 }',
      '  writer: { provider: claude, model: claude-sonnet-5-5, max_tokens: 256, retries: 3 }',
      '',
    ].join('\n'),
  });
  return { openai, anthropic, space };
}

/** Answers attempt n with the n-th reply. */
const script =
  (...replies: ChatReply[]) =>
  (attempt: number): ChatReply =>
    replies[attempt - 1]!;

const textOf = (events: RunEvent[], taskId: string) =>
  events
    .flatMap((event) =>
      event.type === 'task:delta' && event.taskId === taskId ? [event.text] : [],
    )
    .join('');

describe('a workflow on two providers, from the command line', () => {
  it('streams both into --json, and retries 429 and 500 with the exact number of attempts', async () => {
    const { openai, anthropic, space } = await setUp(
      script(
        { status: 429, headers: { 'retry-after-ms': '30' } },
        { status: 500, headers: { 'retry-after-ms': '20' } },
        { answer: ['The market ', 'is ', 'growing.'], delayMs: 5 },
      ),
      script(
        { status: 500, headers: { 'retry-after-ms': '25' } },
        { status: 429, headers: { 'retry-after-ms': '15', 'retry-after': '1' } },
        {
          answer: ['1. Intro', '\n2. Body'],
          delayMs: 5,
          usage: { inputTokens: 40, outputTokens: 12 },
        },
      ),
    );
    const { code, stdout, stderr } = await runCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      { cwd: space.dir, env: KEYS },
    );
    expect(withoutPriceNotes(stderr)).toBe('');
    expect(code).toBe(0);

    const events = parseEventLines(stdout);
    expect(textOf(events, 'research')).toBe('The market is growing.');
    expect(textOf(events, 'outline')).toBe('1. Intro\n2. Body');
    const deltas = events.filter((event) => event.type === 'task:delta');
    expect(new Set(deltas.map((event) => event.taskId))).toEqual(new Set(['research', 'outline']));

    const retries = events.flatMap((event) =>
      event.type === 'task:retry' ? [[event.taskId, event.attempt, event.delayMs]] : [],
    );
    expect(retries.filter(([task]) => task === 'research')).toEqual([
      ['research', 2, 30],
      ['research', 3, 20],
    ]);
    expect(retries.filter(([task]) => task === 'outline')).toEqual([
      ['outline', 2, 25],
      ['outline', 3, 15],
    ]);
    const retryErrors = events.flatMap((event) =>
      event.type === 'task:retry' ? [event.error.message] : [],
    );
    expect(retryErrors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^local: HTTP 429/),
        expect.stringMatching(/^local: HTTP 500/),
        expect.stringMatching(/^claude: HTTP 500/),
        expect.stringMatching(/^claude: HTTP 429/),
      ]),
    );

    const ends = Object.fromEntries(
      events.flatMap((event) => (event.type === 'task:end' ? [[event.taskId, event]] : [])),
    );
    expect(ends.research).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      response: 'The market is growing.',
      usage: { inputTokens: 19, outputTokens: 10 },
    });
    expect(ends.outline).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      response: '1. Intro\n2. Body',
      usage: { inputTokens: 40, outputTokens: 12 },
    });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'run:end', status: 'succeeded' });
    const results = last.type === 'run:end' ? last.result.phases[0]!.results : [];
    expect(results.map((task) => [task.taskId, task.attempts])).toEqual([
      ['research', 3],
      ['outline', 3],
    ]);

    // Each server saw exactly the attempts, in its own wire format.
    expect(openai.calls).toHaveLength(3);
    expect(anthropic.calls).toHaveLength(3);
    const lastAttempts = [
      [
        openai,
        '/v1/chat/completions',
        KEYS.E2E_OPENAI_KEY,
        { model: 'llama3.2', temperature: 0.2 },
      ],
      [
        anthropic,
        '/v1/messages',
        KEYS.E2E_ANTHROPIC_KEY,
        { model: 'claude-sonnet-5-5', max_tokens: 256 },
      ],
    ] as const;
    for (const [server, path, key, settings] of lastAttempts) {
      const { request, prompt } = server.calls[2]!;
      expect(request.path).toBe(path);
      expect(request.headers.authorization).toBe(`Bearer ${key}`);
      // Anthropic caches by default: its prompt is sent as a text block marked as a cache breakpoint.
      const content =
        server === anthropic
          ? [{ type: 'text', text: prompt, cache_control: { type: 'ephemeral' } }]
          : prompt;
      expect(request.body).toMatchObject({
        ...settings,
        stream: true,
        messages: [{ role: 'user', content }],
      });
    }
    expect(openai.calls.map((call) => call.prompt)).toEqual(Array(3).fill('Research the market'));
    expect(anthropic.calls.map((call) => call.prompt)).toEqual(
      Array(3).fill('Outline the article'),
    );
  });

  it('is cancelled by Ctrl-C mid-stream: exit 130 within a second, run:end cancelled, connections closed', async () => {
    const { openai, anthropic, space } = await setUp(
      () => ({ stall: ['Half ', 'an answer'] }),
      () => ({ stall: ['Half ', 'an outline'] }),
    );
    const cli = startCli(['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'], {
      cwd: space.dir,
      env: KEYS,
    });
    const streaming = new Set<string>();
    let interruptedAt: number | undefined;
    cli.onLine((line) => {
      const event = JSON.parse(line) as RunEvent;
      if (event.type === 'task:delta') streaming.add(event.taskId);
      if (streaming.size === 2 && interruptedAt === undefined) {
        interruptedAt = Date.now();
        cli.child.kill('SIGINT');
      }
    });
    const { code, stdout, stderr } = await within(cli.outcome, 10_000, 'the CLI to exit');
    const afterInterruptMs = Date.now() - interruptedAt!;

    expect(interruptedAt).toBeDefined();
    expect(code).toBe(130);
    expect(afterInterruptMs).toBeLessThan(1000);
    expect(stderr).toContain('interrupted: cancelling the run');
    const events = parseEventLines(stdout);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'cancelled' });
    const ends = events.filter((event) => event.type === 'task:end');
    expect(ends.map((event) => [event.taskId, event.status, event.attempts])).toEqual(
      expect.arrayContaining([
        ['research', 'cancelled', 1],
        ['outline', 'cancelled', 1],
      ]),
    );
    await within(
      openai.calls[0]!.request.connectionClosed,
      2000,
      'the OpenAI server to see the close',
    );
    await within(
      anthropic.calls[0]!.request.connectionClosed,
      2000,
      'the Anthropic server to see the close',
    );
  });
});
