import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { RunEvent } from '@multi-context/events';
import type { Subscription } from 'rxjs';
import type { PageBoot } from '../page-boot.js';
import { renderPageHtml } from '../page-html.js';
import {
  crossOriginReason,
  isLoopbackHost,
  loopbackHostNames,
  tokenMatches,
} from './request-guard.js';
import { isRunId } from './run-id.js';
import type { RunSource } from './run-source.js';
import { API_POLICY, pagePolicy, SECURITY_HEADERS } from './security-headers.js';
import { SseStream } from './sse-stream.js';

/** Options of {@link serveRunView}. */
export interface ServeRunViewOptions {
  /** Where the runs come from. */
  source: RunSource;
  /**
   * The interface to listen on. Default `127.0.0.1`: only this machine can
   * open the view. Any other (say `0.0.0.0`) makes the token part of every
   * URL: a request without it is refused.
   */
  host?: string;
  /** The port; default 0, a free one. */
  port?: number;
  /**
   * The token that cancelling a run needs (and, off loopback, every
   * request). Default: 32 random bytes, new for each server.
   */
  token?: string;
  /** The page title; default the run view's own. */
  title?: string;
  /** How often an idle event stream gets a comment line, in milliseconds. Default 15,000. */
  heartbeatMs?: number;
  /**
   * The longest an event waits before it is written to a page's stream, in
   * milliseconds. Events are written together, as one message holding a
   * batch of them, once a burst is over (15 ms without one) or after this
   * long, whichever is first. Default 100: a page sees a run in progress at
   * most 100 ms late; the end is sent at once.
   */
  flushIntervalMs?: number;
}

/** A run view being served: what {@link serveRunView} resolves to. */
export interface RunViewServer {
  /** The run list's address (with `?token=` when the host is not loopback). */
  readonly url: string;
  /** The token cancelling needs. */
  readonly token: string;
  /** A run's page address (with `?token=` when the host is not loopback). */
  runUrl(runId: string): string;
  /**
   * Stops serving: open event streams are ended (the pages show the run as
   * they have it), connections are closed. Resolves within about a second.
   */
  close(): Promise<void>;
}

const CANCEL_REASON = 'cancelled from the web view';

/**
 * Serves the run view of `options.source` with Node's `http` module: the run
 * list at `/`, each run's page at `/runs/<runId>`, and their data at
 * `/api/runs` (JSON), `/api/runs/<runId>/events` (server-sent events, each a
 * batch of run events as a JSON array whose last seq is the message's id, resumed
 * from `Last-Event-ID` or `?after=<seq>` with no gap and no duplicate) and
 * `POST /api/runs/<runId>/cancel` (the only request that changes anything:
 * it needs the token in an `x-mc-token` header and a same-origin page).
 *
 * @example
 * const view = await serveRunView({ source: journalRunSource() });
 * console.log(`view: ${view.url}`);
 * // ...
 * await view.close();
 */
export async function serveRunView(options: ServeRunViewOptions): Promise<RunViewServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const { source } = options;
  const streams = new Set<SseStream>();
  let allowedHosts = new Set<string>();
  let closing: Promise<void> | undefined;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, 500, 'text/plain', `The run view failed: ${messageOf(error)}\n`);
      } else response.destroy();
    });
  });
  // A page's event stream is long-lived: no request timeout of Node's may cut it.
  server.requestTimeout = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://run-view');
    if (loopback && !allowedHosts.has(request.headers.host ?? '')) {
      return send(response, 403, 'text/plain', 'Forbidden: this address serves 127.0.0.1 only.\n');
    }
    if (
      !loopback &&
      !tokenMatches(url.searchParams.get('token'), token) &&
      !tokenMatches(headerOf(request, 'x-mc-token'), token)
    ) {
      return send(response, 403, 'text/plain', 'Forbidden: this run view needs its token.\n');
    }
    const route = routeOf(url.pathname);
    if (route === undefined) return send(response, 404, 'text/plain', 'Not found.\n');
    const method = route.kind === 'cancel' ? 'POST' : 'GET';
    if (request.method !== method) {
      response.setHeader('allow', method);
      return send(response, 405, 'text/plain', `Only ${method} is allowed here.\n`);
    }
    switch (route.kind) {
      case 'list':
        return sendPage(response, {
          view: 'list',
          runsUrl: '/api/runs',
          runUrl: '/runs/{runId}',
          token,
        });
      case 'page': {
        const state = await source.state(route.runId);
        if (state === 'unknown') return send(response, 404, 'text/plain', 'No such run.\n');
        const base = `/api/runs/${encodeURIComponent(route.runId)}`;
        return sendPage(response, {
          view: 'run',
          runId: route.runId,
          eventsUrl: `${base}/events`,
          ...(state === 'live' && { cancelUrl: `${base}/cancel` }),
          token,
        });
      }
      case 'runs':
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({ runs: await source.listRuns() }),
        );
      case 'events':
        return streamEvents(request, response, route.runId, url);
      case 'cancel':
        return cancel(request, response, route.runId);
    }
  }

  function sendPage(response: ServerResponse, boot: PageBoot): void {
    const html = renderPageHtml(
      boot,
      options.title === undefined ? undefined : { title: options.title },
    );
    send(response, 200, 'text/html', html, { 'content-security-policy': pagePolicy(html) });
  }

  async function streamEvents(
    request: IncomingMessage,
    response: ServerResponse,
    runId: string,
    url: URL,
  ): Promise<void> {
    const after = afterOf(headerOf(request, 'last-event-id') ?? url.searchParams.get('after'));
    if (after === undefined) {
      return send(response, 400, 'text/plain', 'Last-Event-ID and after must be a whole number.\n');
    }
    if (closing !== undefined) return send(response, 503, 'text/plain', 'Shutting down.\n');
    const events = await source.events(runId, after);
    if (events === undefined) return send(response, 404, 'text/plain', 'No such run.\n');
    response.writeHead(200, {
      ...headers('text/event-stream'),
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream = new SseStream(response, flushIntervalMs);
    streams.add(stream);
    // A reconnect after a dropped connection should come soon: the page is behind meanwhile.
    response.write('retry: 1000\n: multi-context run view\n\n');
    let subscription: Subscription | undefined;
    const heartbeat = setInterval(() => stream.comment('heartbeat'), heartbeatMs);
    let stopped = false;
    // Set by a run:end that nothing has followed yet: a resumed run's record has the interrupted
    // session's run:end (cancelled), then its run:resume and the new session, in the same turn.
    let endingAfter: NodeJS.Immediate | undefined;
    const stop = () => {
      stopped = true;
      if (endingAfter !== undefined) clearImmediate(endingAfter);
      clearInterval(heartbeat);
      subscription?.unsubscribe();
    };
    // Kept until its response closed: close() ends a stream whose end is still being sent.
    response.once('close', () => {
      stop();
      streams.delete(stream);
    });
    subscription = events.subscribe({
      next(event: RunEvent) {
        if (endingAfter !== undefined) {
          clearImmediate(endingAfter);
          endingAfter = undefined;
        }
        stream.event(event);
        // The page learns the end at once (once the run's turn is over), not when the source
        // gets round to completing.
        if (event.type === 'run:end') {
          endingAfter = setImmediate(() => {
            endingAfter = undefined;
            if (stopped) return;
            stop();
            stream.endAfterRun();
          });
        }
      },
      complete() {
        // The source's stream completes right after its run:end: that end is the run's.
        const afterRunEnd = endingAfter !== undefined;
        stop();
        if (afterRunEnd) stream.endAfterRun();
        else void stream.end(false);
      },
      error() {
        // Ended without `end`: the page reconnects and is answered by what the journal says then.
        stop();
        void stream.drop();
      },
    });
    // Ended while subscribing (a finished run's backlog): the subscription is known only now.
    if (stopped || stream.ended) stop();
  }

  async function cancel(
    request: IncomingMessage,
    response: ServerResponse,
    runId: string,
  ): Promise<void> {
    const crossOrigin = crossOriginReason(request);
    if (crossOrigin !== undefined) return send(response, 403, 'text/plain', `${crossOrigin}\n`);
    if (!tokenMatches(headerOf(request, 'x-mc-token'), token)) {
      return send(
        response,
        403,
        'text/plain',
        "Cancelling a run needs the run view's token in an x-mc-token header.\n",
      );
    }
    switch (await source.cancel(runId, CANCEL_REASON)) {
      case 'accepted':
        return send(response, 202, 'text/plain', 'Cancelling the run.\n');
      case 'not-live':
        return send(
          response,
          409,
          'text/plain',
          'The run is not running here: nothing to cancel.\n',
        );
      case 'unknown':
        return send(response, 404, 'text/plain', 'No such run.\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = loopbackHostNames(port);
  const origin = `http://${urlHost(host)}:${port}`;
  const query = loopback ? '' : `?token=${encodeURIComponent(token)}`;

  return {
    url: `${origin}/${query}`,
    token,
    runUrl: (runId) => `${origin}/runs/${encodeURIComponent(runId)}${query}`,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };

  async function shutDown(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The pages keep what they were sent; a second is plenty to hand them the last of it.
    await Promise.race([Promise.all([...streams].map((stream) => stream.end(false))), delay(500)]);
    server.closeAllConnections();
    await Promise.race([closed, delay(500)]);
  }
}

type Route =
  | { kind: 'list' }
  | { kind: 'runs' }
  | { kind: 'page' | 'events' | 'cancel'; runId: string };

function routeOf(pathname: string): Route | undefined {
  if (pathname === '/') return { kind: 'list' };
  if (pathname === '/api/runs') return { kind: 'runs' };
  const page = /^\/runs\/([^/]+)$/.exec(pathname);
  const api = /^\/api\/runs\/([^/]+)\/(events|cancel)$/.exec(pathname);
  const match = page ?? api;
  if (match === null) return undefined;
  let runId: string;
  try {
    runId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  if (!isRunId(runId)) return undefined;
  return { kind: page === null ? (api![2] as 'events' | 'cancel') : 'page', runId };
}

/** The seq a stream resumes after: -1 (from the start) when not given, undefined when malformed. */
function afterOf(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return -1;
  if (!/^-?\d{1,15}$/.test(value)) return undefined;
  const after = Number(value);
  return after < -1 ? undefined : after;
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function headers(type: string): OutgoingHttpHeaders {
  return {
    'content-type': `${type}; charset=utf-8`,
    'content-security-policy': API_POLICY,
    ...SECURITY_HEADERS,
  };
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: OutgoingHttpHeaders = {},
): void {
  response.writeHead(status, { ...headers(type), ...extra });
  response.end(body);
}

/** The host as a URL shows it: bracketed IPv6, and this machine's name for "every interface". */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return hostname();
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
