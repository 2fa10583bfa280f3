// The run view end to end, in headless chromium: the real CLI serving a real
// run on the offline provider, the real page following it.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium, screenshot } from './chromium.js';
import { cliRoot, runCli } from './cli-process.js';
import { startViewCli, stopViewClis } from './view-process.js';
import { type Workspace, workspace } from './workspace.js';

const demo = resolve(cliRoot, '../../examples/demo/workflow.yaml');
/** The README's picture of the demo run: written when MC_UPDATE_SCREENSHOT=1. */
const README_SCREENSHOT = resolve(cliRoot, '../../docs/run-view.png');

let browser: Browser;
let space: Workspace;
// A test that fails midway leaves no view process behind.
afterEach(stopViewClis);
/** The journal folder every run of this file writes to; `ui` lists them. */
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  space = workspace();
  dir = join(space.dir, 'runs');
}, 30_000);
afterAll(async () => {
  await browser?.close();
  space?.remove();
});

async function newPage(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  onTestFailed(async () => {
    await screenshot(page, name);
    if (errors.length > 0) console.error(`page errors in ${name}:`, errors);
  });
  return page;
}

function journalEvents(runId: string): RunEvent[] {
  return readFileSync(join(dir, runId, 'events.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => runEventSchema.parse(JSON.parse(line)));
}

/** What the page reports of itself (`window.__mcView`, see @multi-context/web). */
interface PageFigures {
  ready: boolean;
  eventCount: number;
  bars: { taskId: string; y: number; height: number; attempts: { x: number; width: number }[] }[];
}

interface ViewHook {
  ready: boolean;
  eventCount: number;
  geometry?: () => { bars: PageFigures['bars'] };
}

const view = (page: Page): Promise<PageFigures> =>
  page.evaluate(() => {
    const hook = (globalThis as { __mcView?: ViewHook }).__mcView;
    return {
      ready: hook?.ready === true,
      eventCount: hook?.eventCount ?? 0,
      bars: hook?.geometry?.().bars ?? [],
    };
  });
const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
const isLive = async (page: Page) => (await page.locator('.run-header .badge.live').count()) > 0;

/**
 * Clicks the bar of `taskId` on the timeline canvas until its details open:
 * a live timeline rescales as time goes on, so a bar can move between
 * reading where it is and the click.
 */
async function clickTask(page: Page, taskId: string): Promise<void> {
  const heading = page.getByTestId('details').locator('h2');
  for (let attempt = 0; attempt < 10; attempt++) {
    const bar = (await view(page)).bars.find((b) => b.taskId === taskId);
    if (bar === undefined) throw new Error(`no bar for ${taskId}`);
    const last = bar.attempts.at(-1)!;
    const box = (await page.locator('canvas').boundingBox())!;
    await page.mouse.click(box.x + last.x + last.width / 2, box.y + bar.y + bar.height / 2);
    if ((await heading.count()) > 0 && (await heading.textContent()) === taskId) return;
  }
  throw new Error(`clicking the bar of ${taskId} did not open its details`);
}

/** Runs the demo with a view, on the offline provider at `delayMs` between streamed pieces. */
function startDemo(delayMs: number, ...more: string[]) {
  return startViewCli(
    [
      'run',
      demo,
      '--ui',
      '--quiet',
      '--mock-delay',
      String(delayMs),
      '--journal-dir',
      dir,
      ...more,
    ],
    { cwd: space.dir },
  );
}

const runIdOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;

describe('a live run in the browser', () => {
  it('shows bars, statuses and streamed text as they happen, the history as sent, then the end', async () => {
    // 400 ms a streamed piece: the market task streams for about 5 s, time enough on a busy
    // machine to open the page, click its bar and see its text grow. At 150 ms (2 s) a CI run
    // with every package's tests at once read the text only once it was whole; at 60 ms it was
    // often over before the details opened.
    const cli = startDemo(400, '--ui-keep');
    const url = await cli.url;
    const page = await newPage('live-run');
    await page.goto(url);
    await expect.poll(() => isLive(page), { timeout: 10_000 }).toBe(true);

    // Statuses change: the research phase's three tasks run at once, then end.
    await expect.poll(() => text(page, 'total-running'), { timeout: 10_000 }).toBe('3');
    const bars = (await view(page)).bars;
    expect(bars.map((bar) => bar.taskId).sort()).toEqual(['competitors', 'market', 'pricing']);

    // Tokens stream: a running task's details show its text growing.
    await clickTask(page, 'market');
    const response = page.getByTestId('details-response');
    await expect.poll(() => response.textContent()).not.toBe('');
    const first = (await response.textContent()) ?? '';
    // Up to 5 s: a piece comes every 150 ms, but a machine busy with other work can hold the
    // page's next render back for over a second (the default 1 s poll failed a CI rehearsal).
    await expect
      .poll(async () => ((await response.textContent()) ?? '').length, { timeout: 5_000 })
      .toBeGreaterThan(first.length);

    // The second drafting task was sent the brief context's first turn: the details say so.
    await expect
      .poll(async () => (await view(page)).bars.some((bar) => bar.taskId === 'brief-2'), {
        timeout: 30_000,
      })
      .toBe(true);
    await clickTask(page, 'brief-2');
    await expect
      .poll(() => page.getByTestId('details').locator('h2').textContent())
      .toBe('brief-2');
    const history = await page.getByTestId('details-history').locator('li pre').allTextContents();
    const briefStart = journalEvents(runIdOf(url)).find(
      (event) => event.type === 'task:start' && event.contextName === 'brief',
    );
    expect(history).toContain(briefStart?.type === 'task:start' ? briefStart.prompt : '?');

    // The end: every task succeeded, the page is no longer live, and holds what the journal holds.
    await expect.poll(() => text(page, 'total-succeeded'), { timeout: 40_000 }).toBe('8');
    await expect.poll(() => isLive(page)).toBe(false);
    const events = journalEvents(runIdOf(url));
    // The timeline sets the count when it paints: it may be a frame behind the header's end.
    await expect.poll(async () => (await view(page)).eventCount).toBe(events.length);

    // The README's picture: the demo run with a task open.
    await clickTask(page, 'brief-2');
    await page.getByTestId('details').waitFor();
    // The pointer off the timeline, so no tooltip covers it.
    await page.mouse.move(1, 1);
    await expect.poll(() => page.getByTestId('tooltip').count()).toBe(0);
    await screenshot(page, 'run-view');
    if (process.env.MC_UPDATE_SCREENSHOT === '1') {
      mkdirSync(resolve(README_SCREENSHOT, '..'), { recursive: true });
      copyFileSync(join(cliRoot, 'test-artifacts/run-view.png'), README_SCREENSHOT);
    }
    await page.close();
    cli.child.kill('SIGINT');
    expect((await cli.outcome).code).toBe(0);
  }, 120_000);

  it('cancels the run from the page: the run ends cancelled and the CLI exits 130', async () => {
    const cli = startDemo(300);
    const url = await cli.url;
    const page = await newPage('cancel');
    await page.goto(url);
    await expect.poll(() => text(page, 'total-running'), { timeout: 10_000 }).toBe('3');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const outcome = await cli.outcome;
    expect(outcome.code, outcome.stderr).toBe(130);
    const end = journalEvents(runIdOf(url)).at(-1);
    expect(end).toMatchObject({ type: 'run:end', status: 'cancelled' });
    // The page got the end before the view stopped with the run.
    await expect.poll(() => text(page, 'total-cancelled')).toBe('8');
    expect(await isLive(page)).toBe(false);
    await page.close();
  }, 60_000);

  it('reloaded mid-run, gets back every event it had and follows on: the picture matches the journal', async () => {
    // Slow enough that the run is still going after the reload, even on a busy machine.
    const cli = startDemo(150, '--ui-keep');
    const url = await cli.url;
    const page = await newPage('reload');
    await page.goto(url);
    await expect.poll(() => text(page, 'total-succeeded'), { timeout: 15_000 }).toBe('3');
    const before = (await view(page)).eventCount;
    await page.reload();
    await expect.poll(async () => (await view(page)).eventCount).toBeGreaterThanOrEqual(before);
    await expect.poll(() => isLive(page)).toBe(true);
    await expect.poll(() => text(page, 'total-succeeded'), { timeout: 30_000 }).toBe('8');
    await expect.poll(() => isLive(page)).toBe(false);
    const events = journalEvents(runIdOf(url));
    // The hook's count is the timeline's, set when it paints (on an animation frame), while the
    // live badge goes as soon as the header renders the end: the count may be a frame behind.
    await expect.poll(async () => (await view(page)).eventCount).toBe(events.length);
    const end = events.at(-1);
    const tokens = end?.type === 'run:end' ? end.result.usage.totalTokens : -1;
    expect(await text(page, 'total-tokens')).toBe(tokens.toLocaleString('en-US'));
    await page.close();
    cli.child.kill('SIGINT');
    expect((await cli.outcome).code).toBe(0);
  }, 60_000);
});

describe('recorded runs in the browser', () => {
  it('lists the runs (multi-context ui), and a finished one replays from its journal', async () => {
    const ran = await runCli(['run', demo, '--quiet', '--mock-delay', '0', '--journal-dir', dir], {
      cwd: space.dir,
    });
    expect(ran.code).toBe(0);
    const cli = startViewCli(['ui', '--journal-dir', dir], { cwd: space.dir });
    const url = await cli.url;
    const page = await newPage('list');
    await page.goto(url);
    const rows = page.getByTestId('runs').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    const listed = await rows.count();
    const runIds = await page.getByTestId('runs').locator('tbody tr .small').allTextContents();
    expect(new Set(runIds).size).toBe(listed);

    await rows.first().locator('a').click();
    await page.waitForURL(/\/runs\//);
    const runId = runIdOf(page.url());
    expect(runId).toBe(runIds[0]);
    const events = journalEvents(runId);
    await expect.poll(async () => (await view(page)).eventCount).toBe(events.length);
    expect(await isLive(page)).toBe(false);
    // A finished run can be scrubbed through.
    expect(await page.getByTestId('scrubber').count()).toBe(1);
    await page.close();
    cli.child.kill('SIGINT');
    expect((await cli.outcome).code).toBe(130);
  }, 60_000);

  it('opens the report file from disk with the network blocked', async () => {
    const ran = await runCli(['run', demo, '--json', '--journal-dir', dir], { cwd: space.dir });
    const runId = (JSON.parse(ran.stdout.split('\n')[0]!) as RunEvent).runId;
    const out = space.path('report.html');
    const report = await runCli(['report', runId, '--out', out, '--journal-dir', dir], {
      cwd: space.dir,
    });
    expect(report.code, report.stderr).toBe(0);
    const page = await newPage('report');
    const url = pathToFileURL(out).href;
    const tried: string[] = [];
    await page.route('**', (route) => {
      if (route.request().url() === url) return route.continue();
      tried.push(route.request().url());
      return route.abort();
    });
    await page.goto(url);
    const events = journalEvents(runId);
    await expect.poll(async () => (await view(page)).eventCount).toBe(events.length);
    expect(await text(page, 'total-succeeded')).toBe('8');
    expect(tried).toEqual([]);
    await page.close();
  }, 60_000);
});
