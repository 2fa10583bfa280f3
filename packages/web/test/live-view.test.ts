// The page with the package's own server (serveRunView + liveRunSource) on a
// run that is going on: both halves of the run view, end to end in chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { liveRunSource } from '../src/server/live-run-source.js';
import { serveRunView } from '../src/server/serve-run-view.js';
import { launchChromium, screenshotOnFailure } from './browser.js';
import { loadPipeline, offlineOrchestrator, writerScript } from './pipeline-run.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

describe('a live run served by serveRunView', () => {
  it('streams into the page, is listed live, and is cancelled from the page', async () => {
    const workflow = await loadPipeline(2);
    // Slow answers, streamed word by word: the run is still going when the page opens.
    const orchestrator = offlineOrchestrator({
      script: { writer: writerScript },
      latencyMs: [150, 300],
      chunkDelayMs: 40,
      chunkSize: 1,
    });
    const run = orchestrator.run(workflow, { inputs: { topic: 'live views' } });
    const source = liveRunSource({
      runId: run.runId,
      workflowName: workflow.name,
      events$: run.events$,
      cancel: (reason) => run.cancel(reason),
    });
    const view = await serveRunView({ source });
    let page: Page | undefined;
    onTestFailed(() => screenshotOnFailure(page, 'live-view'));
    try {
      page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
      await page.goto(view.url);
      const row = page.getByTestId('runs').locator('tbody tr');
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain('live');
      await row.locator('a').click();
      await page.waitForURL(/\/runs\//);

      await expect.poll(() => page!.getByTestId('total-running').textContent()).not.toBe('0');
      expect(await page.locator('.badge.live').count()).toBe(1);
      // A running task shows its tokens as they stream. Answers take 150-300 ms, so the bar
      // picked may end before the click lands (a CI rehearsal saw it): pick a running bar again
      // until one's details show the stream.
      const streaming = page.getByTestId('details').locator('h3', { hasText: 'Streaming' });
      await expect
        .poll(
          async () => {
            const bars = await page!.evaluate(() => window.__mcView!.geometry!().bars);
            const running = bars.find((bar) => bar.status === 'running');
            if (running === undefined) return 0;
            const box = (await page!.locator('canvas').boundingBox())!;
            const attempt = running.attempts.at(-1)!;
            await page!.mouse.click(box.x + attempt.x + attempt.width / 2, box.y + running.y + 10);
            return streaming.waitFor({ timeout: 1_000 }).then(
              () => streaming.count(),
              () => 0,
            );
          },
          { timeout: 15_000 },
        )
        .toBe(1);

      await page.getByRole('button', { name: 'Cancel run' }).click();
      const result = await run.result;
      expect(result.status).toBe('cancelled');
      await expect
        .poll(() => page!.locator('.run-title .badge').first().textContent())
        .toBe('cancelled');
      await expect.poll(() => page!.locator('.badge.live').count()).toBe(0);
      expect(await page.getByTestId('scrubber').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    } finally {
      await page?.close();
      await view.close();
    }
  }, 60_000);
});
