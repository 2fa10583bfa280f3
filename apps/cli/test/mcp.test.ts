import { readFileSync, writeFileSync } from 'node:fs';
import type { RunEvent } from '@multi-context/events';
import {
  type McpHttpTestServer,
  mcpStdioTestServerPath,
  startMcpHttpTestServer,
} from '@multi-context/testing/mcp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';
import { defaultJournal } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

/** Whether process `pid` is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of the children of process `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** The pids the stdio test server logged as started. */
function startedPids(log: string): number[] {
  return [...readFileSync(log, 'utf8').matchAll(/^started (\d+)$/gm)].map((match) =>
    Number(match[1]),
  );
}

const SECRET = 'mcp-secret-value-7f3a9c';

/** A workflow whose researcher profile calls the stdio test server's tools, scripted by the offline provider. */
function stdioWorkflow(log: string, calls: string, extra = ''): string {
  return `name: MCP run
providers:
  offline:
    use: mock
    options:
      script:
        research:
          - toolCalls: ${calls}
        research2:
          - toolCalls: [{ name: lookup, input: { topic: again } }]
mcp_servers:
  local:
    command: ${JSON.stringify(process.execPath)}
    args: [${JSON.stringify(mcpStdioTestServerPath())}]
    env:
      MCP_TEST_LOG: ${JSON.stringify(log)}
      MCP_TEST_SECRET: { from_env: MCP_SECRET }
${extra}profiles:
  researcher:
    provider: offline
    tools: [{ mcp: local }]
phases:
  - name: Research
    tasks:
      - { context_name: research, profile: researcher, prompt: Research agents }
  - name: Again
    tasks:
      - { context_name: research2, profile: researcher, prompt: More research }
`;
}

let space: Workspace;
afterEach(() => space?.remove());

describe('run with MCP servers', () => {
  it('starts a stdio server once for the run, runs its tools, keeps its secret out of output and journal, and stops it', async () => {
    space = workspace();
    const log = space.path('server.log');
    writeFileSync(log, '');
    space.write({
      'w.yaml': stdioWorkflow(
        log,
        '[{ name: lookup, input: { topic: agents } }, { name: secret }, { name: fail }]',
      ),
    });
    const { code, stdout, stderr } = await runCli(['run', 'w.yaml', '--json'], {
      cwd: space.dir,
      env: { MCP_SECRET: SECRET },
    });
    expect(code, stderr).toBe(0);
    const events = parseEventLines(stdout);
    const results = events.filter((event) => event.type === 'task:tool-result');
    // Two tasks of two phases call tools of one server process.
    expect(results).toHaveLength(4);
    expect(results[3]?.result).toBe(
      'Findings on again: adoption doubled in 2026; costs fell by half.',
    );
    // The calls of one step run at once and each result is recorded as it ends: in call order here.
    const callOrder = events.flatMap((event) =>
      event.type === 'task:tool-call' ? [event.toolCallId] : [],
    );
    const firstStep = results
      .slice(0, 3)
      .sort((a, b) => callOrder.indexOf(a.toolCallId) - callOrder.indexOf(b.toolCallId));
    expect(firstStep.map((event) => [event.tool, event.result ?? event.error?.message])).toEqual([
      ['lookup', 'Findings on agents: adoption doubled in 2026; costs fell by half.'],
      ['secret', 'the secret is [redacted]'],
      ['fail', 'the lookup service is down'],
    ]);
    expect(startedPids(log)).toHaveLength(1);
    const [pid] = startedPids(log);
    expect(alive(pid!)).toBe(false);
    // The secret reached the server (it answered with it), and nothing the CLI wrote holds it.
    expect(stdout).not.toContain(SECRET);
    expect(stderr).not.toContain(SECRET);
    const journal = readFileSync(defaultJournal(space.dir, events[0]!.runId), 'utf8');
    expect(journal).toContain('the secret is [redacted]');
    expect(journal).not.toContain(SECRET);
  });

  it.each([
    ['Ctrl-C', ['SIGINT']],
    ['a second Ctrl-C, which exits at once', ['SIGINT', 'SIGINT']],
    ['SIGTERM', ['SIGTERM']],
  ] as const)(
    'cancels a hanging MCP call on %s and leaves no server process',
    async (_name, signals) => {
      space = workspace();
      const log = space.path('server.log');
      writeFileSync(log, '');
      space.write({ 'w.yaml': stdioWorkflow(log, '[{ name: hang }]') });
      const cli = startCli(['run', 'w.yaml', '--json'], {
        cwd: space.dir,
        env: { MCP_SECRET: SECRET },
      });
      let children: number[] = [];
      cli.onLine((line) => {
        if ((JSON.parse(line) as RunEvent).type !== 'task:tool-call') return;
        // The call reaches the server before the signal: the server logs it.
        const wait = setInterval(() => {
          if (!readFileSync(log, 'utf8').includes('call hang')) return;
          clearInterval(wait);
          children = childrenOf(cli.child.pid!);
          for (const signal of signals) cli.child.kill(signal);
        }, 10);
      });
      const { code, stdout } = await cli.outcome;
      expect(code).toBe(130);
      const [pid] = startedPids(log);
      // While the call hung, the server was the CLI's one child.
      expect(children).toEqual([pid]);
      await expect.poll(() => alive(pid!), { timeout: 5_000 }).toBe(false);
      if (signals.length === 1) {
        // A graceful stop cancels the call on the server before closing it, and ends the run as cancelled.
        expect(readFileSync(log, 'utf8')).toContain('cancelled hang');
        expect(parseEventLines(stdout).at(-1)).toMatchObject({
          type: 'run:end',
          status: 'cancelled',
        });
      }
    },
  );

  it('stops with a clear error before any model call when a server fails to start', async () => {
    space = workspace();
    const log = space.path('server.log');
    writeFileSync(log, '');
    space.write({
      'w.yaml': stdioWorkflow(log, '[{ name: lookup }]').replace(
        'MCP_TEST_SECRET: { from_env: MCP_SECRET }',
        'MCP_TEST_SECRET: { from_env: MCP_SECRET }\n      MCP_TEST_FAIL_START: "1"',
      ),
    });
    const { code, stdout, stderr } = await runCli(['run', 'w.yaml', '--json'], {
      cwd: space.dir,
      env: { MCP_SECRET: SECRET },
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('multi-context: MCP server "local": ');
    expect(stderr).toContain('exited before it answered; its stderr ends with:');
    expect(stderr).toContain('fatal: cannot open the index database');
    expect(stderr).not.toMatch(/\n\s+at /);
    // Nothing was journaled: no run started.
    expect(Object.keys(space.files()).filter((file) => file.endsWith('events.jsonl'))).toEqual([]);
  });

  it('says which variable is missing, where it is written, before starting anything', async () => {
    space = workspace();
    const log = space.path('server.log');
    writeFileSync(log, '');
    space.write({ 'w.yaml': stdioWorkflow(log, '[{ name: lookup }]') });
    const { code, stderr } = await runCli(['run', 'w.yaml'], { cwd: space.dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /w\.yaml:\d+:\d+: MCP server "local": the environment variable MCP_SECRET is not set \(env\.MCP_TEST_SECRET takes it\)/,
    );
    expect(startedPids(log)).toEqual([]);
  });

  describe('over Streamable HTTP', () => {
    let http: McpHttpTestServer;
    beforeAll(async () => {
      http = await startMcpHttpTestServer();
    });
    afterAll(() => http.close());

    it('sends headers from the environment, keeps them out of output, and ends its session', async () => {
      space = workspace({
        'w.yaml': `name: MCP over HTTP
providers:
  offline:
    use: mock
    options:
      script:
        research:
          - toolCalls: [{ name: secret }, { name: large, input: { chars: 300000 } }]
mcp_servers:
  remote:
    url: ${http.url}
    headers:
      Authorization: { from_env: REMOTE_TOKEN, prefix: "Bearer " }
profiles:
  researcher:
    provider: offline
    tools: [{ mcp: remote, allow: [secret, large] }]
phases:
  - name: Research
    tasks:
      - { context_name: research, profile: researcher, prompt: Research agents }
`,
      });
      const { code, stdout, stderr } = await runCli(['run', 'w.yaml', '--json'], {
        cwd: space.dir,
        env: { REMOTE_TOKEN: SECRET },
      });
      expect(code, stderr).toBe(0);
      expect(http.headers.at(-1)?.authorization).toBe(`Bearer ${SECRET}`);
      const results = parseEventLines(stdout).filter((event) => event.type === 'task:tool-result');
      expect(results[0]?.result).toBe('the secret is Bearer [redacted]');
      // A 300,000-character result reaches the model cut, with a note of how much there was.
      expect(results[1]?.result).toContain(
        '[… cut: the tool returned 300,000 characters; the first 100,000 are shown]',
      );
      expect(stdout).not.toContain(SECRET);
      expect(http.openSessions()).toBe(0);
    });

    it('says it cannot reach a server that is not there', async () => {
      space = workspace({
        'w.yaml': `name: MCP down
mcp_servers:
  remote: { url: "http://127.0.0.1:9/mcp" }
profiles:
  researcher:
    provider: offline
    tools: [{ mcp: remote }]
providers:
  offline: { use: mock }
phases:
  - name: Research
    tasks:
      - { context_name: research, profile: researcher, prompt: Research agents }
`,
      });
      const { code, stdout, stderr } = await runCli(['run', 'w.yaml'], { cwd: space.dir });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^multi-context: MCP server "remote": could not reach http:\/\/127\.0\.0\.1:9\/mcp: /m,
      );
    });
  });
});
