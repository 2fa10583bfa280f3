// The run view (issue 14) in headless chromium: the one-file report of a
// finished run of 10,000 tasks (10 phases x 1,000, 100 contexts, streamed
// answers, some retries, trims) is opened from file:// with the network
// refused. Measures the first complete paint of its timeline, then the frames
// while the timeline is scrolled, panned and zoomed with the wheel.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { createMockProvider } from '@multi-context/provider-mock';
import { launchChromium } from '@multi-context/testing';
import { renderPageHtml } from '@multi-context/web';
import { defineWorkflow } from '@multi-context/workflow';
import type { Page } from 'playwright-core';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);

/** A finished run of `tasks` tasks, as its events. */
async function finishedRun(): Promise<RunEvent[]> {
  const phases = 10;
  const perPhase = Math.ceil(tasks / phases);
  const workflow = defineWorkflow({
    name: `${tasks} tasks`,
    phases: Array.from({ length: phases }, (_, p) => ({
      name: `Phase ${p + 1}`,
      executionMode: 'parallel' as const,
      maxConcurrency: 200,
      tasks: Array.from({ length: perPhase }, (_, i) => ({
        id: `t${p}-${i}`,
        contextName: `context-${i % 100}`,
        prompt: `Task ${i} of phase ${p + 1}`,
      })),
    })),
    config: { maxContextHistory: 10, continueOnError: true },
  });
  const mock = createMockProvider({ latencyMs: [5, 40], failureRate: 0.02, seed: 7 });
  const orchestrator = new MultiContextOrchestrator({
    providers: { mock },
    retry: { initialDelayMs: 5 },
  });
  const run = orchestrator.run(workflow);
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  await run.result;
  return events;
}

/** Starts logging animation frames in the page (a string: tsx would rename functions in a callback). */
const START_FRAME_LOG = `(() => {
  const state = { log: [], stop: false, drawsBefore: window.__mcView.frames.length };
  window.__bench = state;
  function loop(t) {
    state.log.push(t);
    if (!state.stop) requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
})()`;

/** Stops the log: the intervals between frames and the timeline's draw times since it started. */
const STOP_FRAME_LOG = `(() => {
  const state = window.__bench;
  state.stop = true;
  const intervals = state.log.slice(1).map((t, i) => t - state.log[i]);
  return { intervals, draws: window.__mcView.frames.slice(state.drawsBefore) };
})()`;

/** The time of the next animation frame after now: what was drawn is on screen. */
const NEXT_FRAME =
  'new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))';

/** The intervals between animation frames while `act` runs, and the timeline's draw times. */
async function frames(page: Page, act: () => Promise<void>) {
  await page.evaluate(START_FRAME_LOG);
  await act();
  return (await page.evaluate(STOP_FRAME_LOG)) as { intervals: number[]; draws: number[] };
}

const round = (n: number) => Math.round(n * 10) / 10;
const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
};

await scenario(async () => {
  const events = await finishedRun();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-bench-web-'));
  const file = path.join(dir, 'run.html');
  const t0 = performance.now();
  writeFileSync(file, renderPageHtml({ view: 'run', runId: events[0]!.runId, events }));
  const renderMs = performance.now() - t0;
  const url = `file://${file}`;
  const browser = await launchChromium();
  try {
    const opens: number[] = [];
    let page: Page | undefined;
    // Three opens, in fresh pages; the median counts.
    for (let i = 0; i < 3; i += 1) {
      await page?.close();
      // The page's CSP forbids eval, which playwright's string scripts need (tsx rewrites
      // function callbacks); bypassing it changes nothing that is measured.
      page = await browser.newPage({ viewport: { width: 1400, height: 860 }, bypassCSP: true });
      await page.route('**', (route) =>
        route.request().url() === url ? route.continue() : route.abort(),
      );
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction('window.__mcView?.ready === true', null, {
        timeout: 60_000,
        polling: 10,
      });
      // The frame after the draw: the timeline is on screen.
      opens.push((await page.evaluate(NEXT_FRAME)) as number);
    }
    const p = page!;
    const drawn = (await p.evaluate('window.__mcView.taskCount')) as number;
    const box = (await p.locator('canvas').boundingBox())!;
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const wheel = async (dx: number, dy: number, times: number) => {
      for (let i = 0; i < times; i += 1) {
        await p.mouse.wheel(dx, dy);
        await p.waitForTimeout(16);
      }
    };
    const scroll = await frames(p, async () => {
      await wheel(0, 120, 40); // down through the lanes
      await wheel(0, -120, 40);
    });
    const zoom = await frames(p, async () => {
      await p.keyboard.down('Control');
      await wheel(0, -100, 30); // in
      await p.keyboard.up('Control');
      await p.keyboard.down('Shift');
      await wheel(0, 200, 30); // pan along time, zoomed in
      await p.keyboard.up('Shift');
      await p.keyboard.down('Control');
      await wheel(0, 100, 30); // back out
      await p.keyboard.up('Control');
    });
    const intervals = [...scroll.intervals, ...zoom.intervals];
    const draws = [...scroll.draws, ...zoom.draws];
    opens.sort((a, b) => a - b);
    return {
      name: `web: report of a finished ${tasks.toLocaleString('en-US')}-task run in headless chromium`,
      events: events.length,
      htmlMB: round(statSync(file).size / 2 ** 20),
      renderPageHtmlMs: round(renderMs),
      firstPaintMs: round(opens[1]!),
      firstPaintMaxMs: round(opens.at(-1)!),
      barsDrawn: drawn,
      draws: draws.length,
      drawP95Ms: round(p95(draws)),
      drawMaxMs: round(Math.max(...draws)),
      frameP95Ms: round(p95(intervals)),
      frameMaxMs: round(Math.max(...intervals)),
      framesOver50: intervals.filter((ms) => ms > 50).length,
      frames: intervals.length,
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
