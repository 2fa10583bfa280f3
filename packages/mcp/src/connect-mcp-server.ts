import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { redactSecrets } from '@multi-context/provider';
import type { McpServerSpec } from '@multi-context/workflow';
import { type Environment, resolveValues } from './server-secrets.js';

/** How long a server may take to start and list its tools when its spec does not say. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/** How much of a stdio server's stderr is kept to explain why it failed to start. */
const STDERR_TAIL_CHARS = 2_000;

/** What {@link connectMcpServer} needs beside the server's spec. */
export interface ConnectOptions {
  /** Where `fromEnv` values are read. */
  env: Environment;
  /** The folder a stdio server's relative `cwd` is resolved from, and its `cwd` by default. */
  baseDir: string;
  /** A stdio server's stderr, line by line, secrets taken out (dropped when left out). */
  onStderr?: (text: string) => void;
}

/** One MCP server, connected: its tools, a way to call them, and how to close it. */
export interface McpConnection {
  readonly name: string;
  /** Every tool it listed at start. */
  readonly tools: readonly McpToolInfo[];
  /** The process id of a stdio server; undefined over HTTP. */
  readonly pid: number | undefined;
  /** The secret values its settings read from the environment. */
  readonly secrets: readonly string[];
  /** Calls `tool`; aborting `signal` sends the server a cancellation notification. */
  call(tool: string, input: unknown, signal: AbortSignal): Promise<CallToolResult>;
  /** Closes the connection; a stdio server gets its stdin closed, then SIGTERM, then SIGKILL. */
  close(): Promise<void>;
}

/**
 * Starts (stdio) or reaches (Streamable HTTP) the server `name`, and lists its
 * tools, within its startup timeout.
 *
 * @throws {Error} With a message that says why (secrets taken out): a
 *   variable that is not set, a command that cannot start, a server that
 *   exits or does not answer, a URL that cannot be reached.
 */
export async function connectMcpServer(
  name: string,
  spec: McpServerSpec,
  options: ConnectOptions,
): Promise<McpConnection> {
  const env = resolveValues(spec.env, options.env);
  const headers = resolveValues(spec.headers, options.env);
  const missing = [...env.missing, ...headers.missing];
  if (missing.length > 0) {
    throw new Error(
      `the environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set (named by from_env)`,
    );
  }
  const secrets = [...env.secrets, ...headers.secrets];
  const redact = (text: string) => redactSecrets(text, secrets);
  let stderrTail = '';
  let transport: StdioClientTransport | StreamableHTTPClientTransport;
  if (spec.command !== undefined) {
    const stdio = new StdioClientTransport({
      command: spec.command,
      ...(spec.args !== undefined && { args: spec.args }),
      env: env.values,
      cwd: resolve(options.baseDir, spec.cwd ?? '.'),
      // Piped, not inherited: a server's logs must not break the CLI's display; kept to explain a failed start.
      stderr: 'pipe',
    });
    stdio.stderr?.on('data', (chunk: Buffer) => {
      const text = redact(chunk.toString('utf8'));
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
      options.onStderr?.(text);
    });
    transport = stdio;
  } else if (spec.url !== undefined) {
    transport = new StreamableHTTPClientTransport(new URL(spec.url), {
      requestInit: { headers: headers.values },
    });
  } else {
    throw new Error('needs command (stdio) or url (Streamable HTTP)');
  }

  const client = new Client({ name: 'multi-context', version: '1' }, { capabilities: {} });
  const startupTimeoutMs = spec.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const startup = AbortSignal.timeout(startupTimeoutMs);
  const tools: McpToolInfo[] = [];
  try {
    await client.connect(transport, { signal: startup, timeout: startupTimeoutMs });
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
        signal: startup,
        timeout: startupTimeoutMs,
      });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(
      redact(startFailure(spec, error, startup.aborted, startupTimeoutMs, stderrTail)),
    );
  }

  const pid = transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
  return {
    name,
    tools,
    pid,
    secrets,
    call: (tool, input, signal) =>
      client.callTool({ name: tool, arguments: input as Record<string, unknown> }, undefined, {
        signal,
        // The orchestrator's per-tool timeout aborts `signal`; the SDK's own (60 s by default) must not cut in first.
        timeout: MAX_TIMER_MS,
      }) as Promise<CallToolResult>,
    close: async () => {
      if (transport instanceof StreamableHTTPClientTransport) {
        // Tells the server the session is over; bounded, as a server that is gone cannot answer.
        await Promise.race([
          transport.terminateSession().catch(() => {}),
          new Promise((done) => setTimeout(done, 1_000).unref()),
        ]);
      }
      await client.close().catch(() => {});
    },
  };
}

/** The longest delay a Node.js timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function startFailure(
  spec: McpServerSpec,
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  stderrTail: string,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const what =
    spec.command !== undefined
      ? `"${[spec.command, ...(spec.args ?? [])].join(' ')}"`
      : `${spec.url}`;
  let why: string;
  if (timedOut) why = `${what} did not answer within ${timeoutMs / 1000} s (startup_timeout)`;
  else if (code === 'ENOENT') why = `could not start ${what}: command not found`;
  else if (code === 'EACCES') why = `could not start ${what}: permission denied`;
  else if (spec.command !== undefined && /Connection closed/i.test(message))
    why = `${what} exited before it answered`;
  else if (
    spec.url !== undefined &&
    /fetch failed|ECONNREFUSED/i.test(`${message} ${causeOf(error)}`)
  )
    why = `could not reach ${what}: ${causeOf(error) || message}`;
  else why = `${what} failed to start: ${message}`;
  const tail = stderrTail.trim();
  return tail === '' ? why : `${why}; its stderr ends with:\n${indent(lastLines(tail, 8))}`;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof Error ? cause.message : '';
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}
