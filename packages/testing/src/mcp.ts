import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerTestTools } from './mcp-test-tools.js';

/** The path of the MCP test server over stdio: run it with `node` (see `mcp-stdio-test-server`). */
export function mcpStdioTestServerPath(): string {
  return fileURLToPath(new URL('./mcp-stdio-test-server.js', import.meta.url));
}

/** The MCP test server over Streamable HTTP, listening on 127.0.0.1. */
export interface McpHttpTestServer {
  /** Its endpoint, such as `http://127.0.0.1:40123/mcp`. */
  url: string;
  /** Each call and cancellation, in order: `call lookup {"topic":"x"}`, `cancelled hang`. */
  log: string[];
  /** Every request's headers, in order. */
  headers: Record<string, string | string[] | undefined>[];
  /** How many sessions are open (a client that closes ends its own). */
  openSessions(): number;
  close(): Promise<void>;
}

/**
 * Starts the MCP test server (the tools of `registerTestTools`) over
 * Streamable HTTP with sessions, on a free port of 127.0.0.1. `secret()`
 * answers with the request's `Authorization` header.
 */
export async function startMcpHttpTestServer(): Promise<McpHttpTestServer> {
  const log: string[] = [];
  const headers: McpHttpTestServer['headers'] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: Server = createServer(async (req, res) => {
    headers.push({ ...req.headers });
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (transport === undefined) {
      if (typeof id === 'string') {
        res.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (session) => {
          sessions.set(session, created);
        },
        onsessionclosed: (session) => {
          sessions.delete(session);
        },
      });
      const server = new McpServer({ name: 'multi-context-test', version: '1.0.0' });
      registerTestTools(
        server,
        (line) => log.push(line),
        (extra) => String(extra.requestInfo?.headers.authorization ?? '(none)'),
      );
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    log,
    headers,
    openSessions: () => sessions.size,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}
