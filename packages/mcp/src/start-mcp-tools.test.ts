import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { createMockProvider } from '@multi-context/provider-mock';
import {
  type McpHttpTestServer,
  mcpStdioTestServerPath,
  startMcpHttpTestServer,
} from '@multi-context/testing/mcp';
import { defineWorkflow, type McpServerSpec } from '@multi-context/workflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpStartError, type McpTools, startMcpTools } from './index.js';

const stdio = (env: Record<string, string> = {}): McpServerSpec => ({
  command: process.execPath,
  args: [mcpStdioTestServerPath()],
  env: { ...env },
});

/** Whether process `pid` is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let http: McpHttpTestServer;
let logFile: string;
const opened: McpTools[] = [];
beforeEach(async () => {
  http = await startMcpHttpTestServer();
  logFile = join(mkdtempSync(join(tmpdir(), 'mcp-')), 'log');
  writeFileSync(logFile, '');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((mcp) => mcp.close()));
  await http.close();
});

async function start(...args: Parameters<typeof startMcpTools>): Promise<McpTools> {
  const mcp = await startMcpTools(...args);
  opened.push(mcp);
  return mcp;
}

const signal = () => new AbortController().signal;
const call = { toolCallId: 'c1', taskId: 't', runId: 'r' };

describe('startMcpTools', () => {
  it('starts a stdio and an HTTP server once each, lists their tools and expands profiles', async () => {
    const mcp = await start({
      servers: { local: stdio({ MCP_TEST_LOG: logFile }), remote: { url: http.url } },
      profiles: {
        a: [{ mcp: 'local', allow: ['lookup', 'large'] }, 'calculator'],
        b: [
          { mcp: 'local', allow: ['lookup'] },
          { mcp: 'remote', allow: ['slow'] },
        ],
        c: undefined,
      },
    });
    expect(mcp.profileTools).toEqual({
      a: ['lookup', 'large', 'calculator'],
      b: ['lookup', 'slow'],
      c: [],
    });
    expect(Object.keys(mcp.tools).sort()).toEqual(['large', 'lookup', 'slow']);
    expect(mcp.tools.lookup!.description).toBe(
      'Looks up what is known about a topic; answers with findings.',
    );
    expect(mcp.tools.lookup!.inputSchema).toMatchObject({
      type: 'object',
      properties: { topic: { type: 'string' } },
    });
    expect(mcp.pids).toHaveLength(1);
    // One process for both profiles.
    expect(readFileSync(logFile, 'utf8').match(/^started/gm)).toHaveLength(1);

    const answer = await mcp.tools.lookup!.execute(
      { topic: 'agents' },
      { ...call, signal: signal() },
    );
    expect(answer).toBe('Findings on agents: adoption doubled in 2026; costs fell by half.');
    expect(await mcp.tools.slow!.execute({ ms: 1 }, { ...call, signal: signal() })).toBe(
      'done after 1 ms',
    );
    expect(http.log).toEqual(['call slow {"ms":1}']);

    const pid = mcp.pids[0]!;
    await mcp.close();
    expect(alive(pid)).toBe(false);
    expect(readFileSync(logFile, 'utf8')).toContain(`stdin closed ${pid}`);
    expect(http.openSessions()).toBe(0);
  });

  it('turns error results and server failures into thrown errors, and cuts large results', async () => {
    const mcp = await start({
      servers: { local: stdio() },
      profiles: { a: [{ mcp: 'local' }] },
      maxResultChars: 1_000,
    });
    expect(mcp.profileTools.a).toEqual([
      'lookup',
      'fail',
      'crash',
      'hang',
      'large',
      'secret',
      'slow',
    ]);
    await expect(mcp.tools.fail!.execute({}, { ...call, signal: signal() })).rejects.toThrow(
      'the lookup service is down',
    );
    await expect(mcp.tools.crash!.execute({}, { ...call, signal: signal() })).rejects.toThrow(
      'the server tripped over its own feet',
    );
    const large = (await mcp.tools.large!.execute(
      { chars: 250_000 },
      { ...call, signal: signal() },
    )) as string;
    expect(large.startsWith('x'.repeat(1_000))).toBe(true);
    expect(large).not.toContain('x'.repeat(1_001));
    expect(large).toContain(
      '[… cut: the tool returned 250,000 characters; the first 1,000 are shown]',
    );
  });

  it('sends the server a cancellation notification when a call is aborted', async () => {
    const mcp = await start({
      servers: { remote: { url: http.url } },
      profiles: { a: [{ mcp: 'remote' }] },
    });
    const controller = new AbortController();
    const pending = mcp.tools.hang!.execute({}, { ...call, signal: controller.signal });
    await expect.poll(() => http.log).toContain('call hang {}');
    controller.abort(new Error('the run was cancelled'));
    await expect(pending).rejects.toThrow('the run was cancelled');
    await expect.poll(() => http.log).toContain('cancelled hang');
  });

  it('passes secrets from the environment, and takes them out of what it answers', async () => {
    const mcp = await start({
      servers: {
        local: stdio({}),
        remote: {
          url: http.url,
          headers: { Authorization: { fromEnv: 'TOKEN', prefix: 'Bearer ' } },
        },
      },
      profiles: {
        a: [{ mcp: 'remote', allow: ['secret'] }],
        b: [{ mcp: 'local', allow: ['lookup'] }],
      },
      env: { TOKEN: 'tok-very-secret-123' },
    });
    expect(mcp.secrets).toEqual(['tok-very-secret-123']);
    expect(http.headers.at(-1)?.authorization).toBe('Bearer tok-very-secret-123');
    const answer = await mcp.tools.secret!.execute({}, { ...call, signal: signal() });
    expect(answer).toBe('the secret is Bearer [redacted]');

    const local = await start({
      servers: { local: { ...stdio(), env: { MCP_TEST_SECRET: { fromEnv: 'KEY' } } } },
      profiles: { a: [{ mcp: 'local', allow: ['secret'] }] },
      env: { KEY: 'key-abcdef-42' },
    });
    expect(await local.tools.secret!.execute({}, { ...call, signal: signal() })).toBe(
      'the secret is [redacted]',
    );
  });

  it('refuses with every problem, before any call, and leaves no process behind', async () => {
    const error = await startMcpTools({
      servers: {
        good: stdio({ MCP_TEST_LOG: logFile }),
        broken: stdio({ MCP_TEST_FAIL_START: '1' }),
        missing: { command: 'no-such-mcp-server-command' },
        down: { url: 'http://127.0.0.1:9/mcp' },
        keyless: { url: http.url, headers: { Authorization: { fromEnv: 'UNSET_TOKEN' } } },
      },
      profiles: {
        a: [{ mcp: 'good', allow: ['lookup', 'serch'] }],
        b: [{ mcp: 'broken' }, { mcp: 'missing' }, { mcp: 'down' }, { mcp: 'keyless' }],
      },
      env: {},
    }).catch((caught: unknown) => caught);
    expect(McpStartError.isInstance(error)).toBe(true);
    const message = (error as McpStartError).message;
    expect(message).toMatch(/^4 MCP servers could not be used:\n/);
    expect(message).toContain('"broken": "');
    expect(message).toContain('exited before it answered; its stderr ends with:');
    expect(message).toContain('fatal: cannot open the index database');
    expect(message).toContain(
      '"missing": could not start "no-such-mcp-server-command": command not found',
    );
    expect(message).toContain('"down": could not reach http://127.0.0.1:9/mcp');
    expect(message).toContain(
      '"keyless": the environment variable UNSET_TOKEN is not set (named by from_env)',
    );
    // The good server started, and was closed again.
    const started = readFileSync(logFile, 'utf8').match(/^started (\d+)/m);
    expect(started).not.toBeNull();
    await expect.poll(() => alive(Number(started![1]))).toBe(false);

    const allow = await startMcpTools({
      servers: { good: stdio() },
      profiles: { a: [{ mcp: 'good', allow: ['lookup', 'serch'] }] },
    }).catch((caught: unknown) => caught);
    expect((allow as Error).message).toBe(
      'MCP server "good": profile "a" allows the tool "serch", which the server does not have (it has: lookup, fail, crash, hang, large, secret, slow)',
    );
  });

  it('says when two servers give a tool of the same name', async () => {
    const error = await startMcpTools({
      servers: { one: stdio(), two: { url: http.url } },
      profiles: { a: [{ mcp: 'one', allow: ['lookup'] }], b: [{ mcp: 'two', allow: ['lookup'] }] },
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'MCP server "two": its tool "lookup" has the name of a tool of "one": a run can use only one of them (name the others with allow:)',
    );
  });
});

describe('MCP tools in a run', () => {
  it('runs the agent loop against a real server: a call, an error result, and the final answer', async () => {
    const mcp = await start({
      servers: { remote: { url: http.url } },
      profiles: { researcher: [{ mcp: 'remote', allow: ['lookup', 'fail'] }] },
    });
    const mock = createMockProvider({
      script: {
        research: [
          { toolCalls: [{ name: 'lookup', input: { topic: 'agents' } }, { name: 'fail' }] },
          'Summary written from the findings.',
        ],
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { mock },
      tools: mcp.tools,
      profiles: { researcher: { provider: 'mock', tools: mcp.profileTools.researcher! } },
    });
    const workflow = defineWorkflow({
      name: 'research',
      phases: [
        {
          name: 'p',
          tasks: [{ contextName: 'research', prompt: 'Research agents', profile: 'researcher' }],
        },
      ],
    });
    const run = orchestrator.run(workflow);
    const events: RunEvent[] = [];
    run.events$.subscribe((event) => events.push(event));
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    const results = events.filter((event) => event.type === 'task:tool-result');
    expect(results.map((event) => [event.tool, event.result, event.error?.message])).toEqual([
      ['lookup', 'Findings on agents: adoption doubled in 2026; costs fell by half.', undefined],
      ['fail', undefined, 'the lookup service is down'],
    ]);
    expect(http.log).toEqual(['call lookup {"topic":"agents"}', 'call fail {}']);
  });

  it('cancels a hanging MCP call when the run is cancelled, and times one out per server', async () => {
    const mcp = await start({
      servers: { remote: { url: http.url, timeoutMs: 200 } },
      profiles: { researcher: [{ mcp: 'remote', allow: ['hang'] }] },
    });
    const mock = createMockProvider({
      script: { research: [{ toolCalls: [{ name: 'hang' }] }, 'gave up'] },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { mock },
      tools: mcp.tools,
      profiles: { researcher: { provider: 'mock', tools: mcp.profileTools.researcher! } },
    });
    const workflow = defineWorkflow({
      name: 'research',
      phases: [
        {
          name: 'p',
          tasks: [{ contextName: 'research', prompt: 'Research', profile: 'researcher' }],
        },
      ],
    });
    const events: RunEvent[] = [];
    const run = orchestrator.run(workflow);
    run.events$.subscribe((event) => events.push(event));
    expect((await run.result).status).toBe('succeeded');
    const timedOut = events.find((event) => event.type === 'task:tool-result');
    expect(timedOut?.type === 'task:tool-result' && timedOut.error?.message).toMatch(
      /200 ms|timed out/,
    );
    await expect.poll(() => http.log.filter((line) => line === 'cancelled hang')).toHaveLength(1);

    // Without a timeout, cancelling the run cancels the call on the server.
    const patient = await start({
      servers: { remote: { url: http.url } },
      profiles: { researcher: [{ mcp: 'remote', allow: ['hang'] }] },
    });
    const second = new MultiContextOrchestrator({
      providers: {
        mock: createMockProvider({
          script: { research: [{ toolCalls: [{ name: 'hang' }] }, 'x'] },
        }),
      },
      tools: patient.tools,
      profiles: { researcher: { provider: 'mock', tools: patient.profileTools.researcher! } },
    }).run(workflow);
    second.events$.subscribe((event) => {
      if (event.type === 'task:tool-call') setTimeout(() => second.cancel('stop'), 50);
    });
    expect((await second.result).status).toBe('cancelled');
    await expect.poll(() => http.log.filter((line) => line === 'cancelled hang')).toHaveLength(2);
  });
});
