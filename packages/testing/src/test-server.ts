import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the local test server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (or the raw text when it is not JSON). */
  body: unknown;
  socket: Socket;
  /** Resolves when the TCP connection that carried this request closes. */
  connectionClosed: Promise<void>;
}

/** Answers one request; it may write slowly, cut the socket or never answer. */
export type TestHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
) => void | Promise<void>;

/** A node:http server on 127.0.0.1 that records what it receives. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  /** Resolves with the first request once it has arrived. */
  firstRequest: Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral port of 127.0.0.1: tests never leave the machine. */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const closings = new WeakMap<Socket, Promise<void>>();
  let resolveFirst!: (request: ReceivedRequest) => void;
  const firstRequest = new Promise<ReceivedRequest>((resolve) => {
    resolveFirst = resolve;
  });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the raw text.
    }
    const socket = req.socket;
    // One promise per connection: a kept-alive socket carries many requests, and a
    // listener each would pile up on it.
    let connectionClosed = closings.get(socket);
    if (connectionClosed === undefined) {
      connectionClosed = socket.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => socket.once('close', () => resolve()));
      closings.set(socket, connectionClosed);
    }
    const received: ReceivedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      socket,
      connectionClosed,
    };
    requests.push(received);
    resolveFirst(received);
    try {
      await handler(received, res);
    } catch (error) {
      res.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    firstRequest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes the head of a server-sent event stream. */
export function startEventStream(
  response: ServerResponse,
  headers: Record<string, string> = {},
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  response.flushHeaders();
}

/** Writes each frame as it is (an SSE frame, an NDJSON line), waiting `delayMs` between them. */
export async function writeFrames(
  response: ServerResponse,
  frames: readonly string[],
  delayMs = 0,
) {
  for (const frame of frames) {
    response.write(frame);
    if (delayMs > 0) await sleep(delayMs);
  }
}

/**
 * A {@link TestHandler} that answers with an event stream of `frames` (spaced
 * `delayMs` apart, under `headers`) and then ends it, as a server that has
 * said all it will.
 */
export function streamFrames(
  frames: readonly string[],
  options: { headers?: Record<string, string>; delayMs?: number } = {},
): TestHandler {
  return async (_request, response) => {
    startEventStream(response, options.headers);
    await writeFrames(response, frames, options.delayMs);
    response.end();
  };
}

/** Writes a JSON answer with the given status. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when `promise` takes longer than `ms`, naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
