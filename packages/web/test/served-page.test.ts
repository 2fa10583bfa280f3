// The page against tiny stub servers written here: the run list (polled), and
// a run followed live over SSE with its cancel button. What a real server does
// is tested in src/server; this checks the page keeps its side of the contract.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { PageBoot } from '../src/page-boot.js';
import { renderPageHtml } from '../src/page-html.js';
import type { RunListEntry } from '../src/run-list-entry.js';
import { launchChromium, screenshotOnFailure } from './browser.js';
import { type RecordedRun, recordPipeline } from './pipeline-run.js';

let browser: Browser;
let pipeline: RecordedRun;
let server: Server | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  pipeline = await recordPipeline();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function sendPage(response: ServerResponse, boot: PageBoot): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(renderPageHtml(boot));
}

async function newPage(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  onTestFailed(() => screenshotOnFailure(page, name));
  return page;
}

/** One SSE message of a batch of events, as the server writes it. */
const batch = (events: readonly { seq: number }[]) =>
  `id: ${events.at(-1)!.seq}\ndata: ${JSON.stringify(events)}\n\n`;

const entry = (runId: string, over: Partial<RunListEntry> = {}): RunListEntry => ({
  runId,
  workflowName: `Workflow ${runId}`,
  status: 'succeeded',
  startedAt: Date.UTC(2026, 11, 5, 9, 30),
  durationMs: 12_400,
  tasks: { total: 6, succeeded: 6, failed: 0, skipped: 0, cancelled: 0 },
  tokens: 1831,
  live: false,
  ...over,
});

describe('the run list', () => {
  it('lists the runs with links, marks a live one, and polls for new ones', async () => {
    let runs: RunListEntry[] = [
      entry('r-live', { status: 'running', live: true, durationMs: undefined }),
      entry('r-done'),
    ];
    const base = await serve((request, response) => {
      if (request.url === '/') {
        sendPage(response, { view: 'list', runsUrl: '/api/runs', runUrl: '/runs/{runId}/view' });
      } else if (request.url === '/api/runs') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ runs }));
      } else {
        response.writeHead(404).end();
      }
    });
    const page = await newPage('list');
    await page.goto(`${base}/`);
    const rows = page.getByTestId('runs').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).locator('a').getAttribute('href')).toBe('/runs/r-live/view');
    expect(await rows.nth(0).textContent()).toContain('live');
    expect(await rows.nth(0).textContent()).toContain('running');
    expect(await rows.nth(1).textContent()).not.toContain('live');
    expect(await rows.nth(1).textContent()).toContain('6/6');
    expect(await rows.nth(1).textContent()).toContain('1,831');
    runs = [
      entry('r-new', {
        status: 'failed',
        tasks: { total: 2, succeeded: 1, failed: 1, skipped: 0, cancelled: 0 },
      }),
      ...runs,
    ];
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('failed');
    await page.close();
  }, 30_000);
});

describe('a served run', () => {
  it('follows the run live over SSE, cancels with the token, then replays once it ended', async () => {
    const events = pipeline.events;
    const half = events.findIndex((e) => e.type === 'task:start' && e.taskId === 'draft') + 3;
    const streams: ServerResponse[] = [];
    const seen: { eventsQuery?: string; cancelToken?: string } = {};
    const base = await serve((request, response) => {
      const url = new URL(request.url!, 'http://stub');
      if (url.pathname === '/') {
        sendPage(response, {
          view: 'run',
          runId: events[0]!.runId,
          eventsUrl: '/events',
          cancelUrl: '/cancel',
          token: 'tok-1',
        });
      } else if (url.pathname === '/events') {
        seen.eventsQuery = url.search;
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
        });
        // What the server sends: batches (a JSON array each, id the last seq). The first half
        // in two of them; a lone event (not in an array) is understood too.
        const third = Math.floor(half / 3);
        response.write(batch(events.slice(0, third)));
        response.write(`id: ${third}\ndata: ${JSON.stringify(events[third])}\n\n`);
        response.write(batch(events.slice(third + 1, half)));
        streams.push(response);
      } else if (url.pathname === '/cancel' && request.method === 'POST') {
        seen.cancelToken = request.headers['x-mc-token'] as string;
        response.writeHead(409, { 'content-type': 'text/plain' });
        response.end('the run is already ending');
      } else {
        response.writeHead(404).end();
      }
    });
    const page = await newPage('served');
    await page.goto(`${base}/`);
    await expect.poll(() => page.getByTestId('total-running').textContent()).toBe('1');
    expect(seen.eventsQuery).toBe('?token=tok-1');
    expect(await page.locator('.badge.live').count()).toBe(1);
    expect(await page.getByTestId('scrubber').count()).toBe(0);

    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect
      .poll(() => page.locator('.cancel-message').textContent())
      .toBe('Cancel failed (409): the run is already ending');
    expect(seen.cancelToken).toBe('tok-1');

    const stream = streams[0]!;
    // The rest in batches of five, each starting with the last one sent again (as a resumed
    // stream may): the page counts every event once.
    for (let from = half; from < events.length; from += 5) {
      stream.write(batch(events.slice(from - 1, from + 5)));
    }
    stream.end('event: end\ndata: \n\n');
    await expect.poll(() => page.getByTestId('total-succeeded').textContent()).toBe('6');
    await expect.poll(() => page.locator('.badge.live').count()).toBe(0);
    expect(await page.getByTestId('scrubber').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    // Drawn on the next frame after the render that showed the totals.
    await expect.poll(() => page.evaluate(() => window.__mcView!.eventCount)).toBe(events.length);
    await page.close();
  }, 30_000);
});

describe('a served run whose stream is refused', () => {
  it('says it is disconnected rather than showing a finished run', async () => {
    const base = await serve((request, response) => {
      if (request.url === '/') {
        sendPage(response, { view: 'run', runId: 'r', eventsUrl: '/events', token: 'wrong' });
      } else {
        response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      }
    });
    const page = await newPage('refused');
    await page.goto(`${base}/`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('disconnected');
    expect(await page.locator('.badge.live').count()).toBe(0);
    await page.close();
  }, 30_000);
});
