// The one-file report in headless chromium, opened from file:// with every
// other request refused: the timeline of a real run of examples/pipeline, a
// task's details, the scrubber, and hostile text shown as text.
import type { RunEvent } from '@multi-context/events';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { TimelineGeometry } from '../src/page/view-hook.js';
import { renderPageHtml } from '../src/page-html.js';
import { RunViewBuilder } from '../src/view-model/run-view-builder.js';
import { launchChromium, openOffline, screenshotOnFailure, writeTempHtml } from './browser.js';
import { type RecordedRun, recordPipeline } from './pipeline-run.js';
import { PAGE_LENGTH, recordToolRun } from './tool-run.js';

let browser: Browser;
let pipeline: RecordedRun;

beforeAll(async () => {
  browser = await launchChromium();
  pipeline = await recordPipeline();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens the report of `events` offline; a failing test leaves a screenshot. */
async function openReport(
  events: RunEvent[],
  name: string,
): Promise<{ page: Page; blocked: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  onTestFailed(async () => {
    await screenshotOnFailure(page, name);
    if (errors.length > 0) console.error(`page errors in ${name}:`, errors);
  });
  const url = writeTempHtml(renderPageHtml({ view: 'run', runId: events[0]!.runId, events }));
  const blocked = await openOffline(page, url);
  await page.waitForFunction(() => window.__mcView?.ready === true, null, { timeout: 10_000 });
  expect(errors).toEqual([]);
  return { page, blocked };
}

const geometryOf = (page: Page) =>
  page.evaluate(() => window.__mcView!.geometry!()) as Promise<TimelineGeometry>;

/** The colour of one CSS pixel of the timeline canvas, as `#rrggbb`. */
function pixel(page: Page, x: number, y: number): Promise<string> {
  return page.evaluate(
    ([px, py]) => {
      const canvas = document.querySelector('canvas')!;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const [r, g, b] = canvas
        .getContext('2d')!
        .getImageData(Math.round(px! * ratio), Math.round(py! * ratio), 1, 1).data;
      return `#${[r, g, b].map((n) => n!.toString(16).padStart(2, '0')).join('')}`;
    },
    [x, y],
  );
}

/** Clicks the middle of a task's last attempt. */
async function clickTask(page: Page, taskId: string): Promise<void> {
  const bar = (await geometryOf(page)).bars.find((b) => b.taskId === taskId)!;
  const attempt = bar.attempts.at(-1)!;
  const box = (await page.locator('canvas').boundingBox())!;
  await page.mouse.click(box.x + attempt.x + attempt.width / 2, box.y + bar.y + bar.height / 2);
}

describe('the report of examples/pipeline', () => {
  it('draws a lane per context and a bar per task, retries and trims, fetching nothing', async () => {
    const { page, blocked } = await openReport(pipeline.events, 'timeline');
    expect(blocked).toEqual([]);
    const geometry = await geometryOf(page);
    expect(geometry.lanes.map((lane) => lane.name)).toEqual([
      'market',
      'competitors',
      'writer',
      'reviewer',
    ]);
    const ids = geometry.bars.map((bar) => bar.taskId).sort();
    expect(ids).toEqual(['competitors', 'draft', 'market', 'plan', 'review', 'writer']);
    for (const bar of geometry.bars) {
      const last = bar.attempts.at(-1)!;
      // Succeeded bars are drawn in the succeeded colour (Okabe–Ito bluish green). Sampled
      // 2 px from the bar's right end: the white label stops 4 px short of it, and where the
      // middle falls on a glyph depends on the run's timings.
      const right = last.x + Math.max(1, last.width - 2);
      expect(await pixel(page, right, bar.y + 5), bar.taskId).toBe('#009e73');
    }
    // market's first attempt failed and was retried: its own segment, in the retry colour
    // (hatched, so sample its body between hatch lines by looking for the orange channel).
    const market = geometry.bars.find((bar) => bar.taskId === 'market')!;
    expect(market.attempts.map((attempt) => attempt.retried)).toEqual([true, false]);
    const first = market.attempts[0]!;
    const colours = new Set<string>();
    for (let dx = 1; dx < Math.min(first.width, 12); dx += 1) {
      colours.add(await pixel(page, first.x + dx, market.y + 10));
    }
    expect([...colours]).toContain('#e69f00');
    // The writer's context was trimmed (summarised) once: a mark in its lane.
    expect(geometry.trims.map((trim) => trim.contextName)).toEqual(['writer']);
    const trim = geometry.trims[0]!;
    expect(await pixel(page, trim.x, trim.y + 8)).toBe('#cc79a7');
    // Hovering says what a mark is: the trim, and the retried task.
    const box = (await page.locator('canvas').boundingBox())!;
    await page.mouse.move(box.x + trim.x, box.y + trim.y + 10);
    await expect
      .poll(() => page.getByTestId('tooltip').textContent())
      .toContain('condensed into a summary');
    await page.mouse.move(box.x + first.x + first.width / 2, box.y + market.y + 10);
    await expect
      .poll(() => page.getByTestId('tooltip').textContent())
      .toContain('1 retried: market research is overloaded (503)');
    // The header's totals.
    await expect.poll(() => page.getByTestId('total-succeeded').textContent()).toBe('6');
    const tokens = pipeline.events.find((event) => event.type === 'run:end')!;
    expect(await page.getByTestId('total-tokens').textContent()).toBe(
      tokens.type === 'run:end' ? tokens.result.usage.totalTokens.toLocaleString('en-US') : '',
    );
    await page.close();
  }, 30_000);

  it('opens a task on click: prompt, the history exactly as sent, response, attempts', async () => {
    const { page } = await openReport(pipeline.events, 'details');
    await clickTask(page, 'writer');
    const details = page.getByTestId('details');
    await details.waitFor();
    expect(await details.locator('h2').textContent()).toBe('writer');
    const sent = pipeline.sent
      .get('writer')!
      .filter((m) => !(m.role === 'system' && m.content.startsWith('You write for developers')));
    const shown = await page
      .getByTestId('details-history')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => ({
          role: li.querySelector('.role')!.textContent,
          content: li.querySelector('pre')!.textContent,
        })),
      );
    expect(shown).toEqual(sent);
    expect(shown[0]?.role).toBe('system'); // the summary made for this call
    const start = pipeline.events.find((e) => e.type === 'task:start' && e.taskId === 'writer');
    expect(await page.getByTestId('details-prompt').textContent()).toBe(
      start?.type === 'task:start' ? start.prompt : '',
    );
    expect(await page.getByTestId('details-response').textContent()).toBe(
      'Contexts that remember, phases that hand results on: a short tour.',
    );

    // The retried task lists both attempts, the first with its error.
    await clickTask(page, 'market');
    await expect.poll(() => details.locator('h2').textContent()).toBe('market');
    const rows = await details.locator('table.attempts tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('market research is overloaded (503)');
    expect(rows[1]).toContain('succeeded');
    await page.close();
  }, 30_000);

  it('replays: the scrubber shows the run as it stood at a moment', async () => {
    const { page } = await openReport(pipeline.events, 'scrubber');
    const events = pipeline.events;
    const draftStart = events.find((e) => e.type === 'task:start' && e.taskId === 'draft')!;
    const offset = draftStart.time - events[0]!.time;
    await page.getByTestId('scrubber').fill(String(offset));
    const expected = events.filter((event) => event.time <= draftStart.time).length;
    await expect.poll(() => page.evaluate(() => window.__mcView!.eventCount)).toBe(expected);
    const builder = new RunViewBuilder();
    for (const event of events.slice(0, expected)) builder.add(event);
    expect(builder.task('draft')?.status).toBe('running');
    expect(await page.getByTestId('total-succeeded').textContent()).toBe(
      String(builder.view.totals.tasks.succeeded),
    );
    expect(await page.getByTestId('total-running').textContent()).toBe('1');
    const geometry = await geometryOf(page);
    expect(geometry.bars.map((bar) => bar.taskId)).not.toContain('review');
    // Back to the end: everything again.
    await page.getByTestId('scrubber').fill(String(events.at(-1)!.time - events[0]!.time));
    await expect.poll(() => page.evaluate(() => window.__mcView!.eventCount)).toBe(events.length);
    expect(await page.getByTestId('total-succeeded').textContent()).toBe('6');
    await page.close();
  }, 30_000);
});

describe('the report of a run whose task called tools', () => {
  it('lists its tool steps in the details, the failed one marked, long results cut', async () => {
    const events = await recordToolRun();
    const { page, blocked } = await openReport(events, 'tools');
    expect(blocked).toEqual([]);
    // Hovering the bar counts its calls.
    const bar = (await geometryOf(page)).bars.find((b) => b.taskId === 'research')!;
    const attempt = bar.attempts.at(-1)!;
    const box = (await page.locator('canvas').boundingBox())!;
    await page.mouse.move(box.x + attempt.x + attempt.width / 2, box.y + bar.y + bar.height / 2);
    await expect
      .poll(() => page.getByTestId('tooltip').textContent())
      .toContain('3 tool calls (1 failed)');

    await clickTask(page, 'research');
    const tools = page.getByTestId('details-tools');
    await tools.waitFor();
    expect(await tools.locator('h3').textContent()).toBe('Tool calls (3 in 2 steps, 1 failed)');
    const calls = tools.getByTestId('details-tool-call');
    const shown = await calls.evaluateAll((items) =>
      items.map((li) => ({
        status: li.getAttribute('data-status'),
        name: li.querySelector('[data-testid="tool-name"]')!.textContent,
        args: li.querySelector('[data-testid="tool-arguments"]')!.textContent,
        result: li.querySelector('[data-testid="tool-result"]')?.textContent,
        error: li.querySelector('[data-testid="tool-error"]')?.textContent,
      })),
    );
    expect(shown.slice(0, 2)).toEqual([
      {
        status: 'ok',
        name: 'lookup',
        args: '{"q":"rxjs"}',
        result: '{"fact":"rxjs is a reactive library"}',
        error: undefined,
      },
      {
        status: 'error',
        name: 'broken',
        args: '{"q":"rxjs"}',
        result: undefined,
        error: 'Error: the index is offline',
      },
    ]);
    // The failed call is marked: a red badge saying so, and the error's own box.
    const broken = calls.nth(1);
    expect(await broken.locator('.badge').textContent()).toBe('error');
    expect(
      await broken.locator('.badge').evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(213, 94, 0)');
    expect(await broken.locator('pre.error-text').count()).toBe(1);
    expect(await calls.first().locator('.tool-step-text').textContent()).toBe(
      'Step 1, the model said: Let me look that up.',
    );
    // A 250,000-character result: its first 4,000 shown, and its length said.
    const fetch = calls.nth(2);
    expect(shown[2]!.name).toBe('fetch_page');
    expect(shown[2]!.result).toBe(`${'x'.repeat(4000)}…`);
    expect(await fetch.locator('.clipped-note').allTextContents()).toEqual([
      expect.stringMatching(/^first 4,000 of 9,\d{3} characters$/),
      `first 4,000 of ${PAGE_LENGTH.toLocaleString('en-US')} characters`,
    ]);

    // Replayed to broken's error: lookup, in parallel with it, is still running.
    const brokenEnd = events.find((e) => e.type === 'task:tool-result')!;
    expect(brokenEnd.type === 'task:tool-result' && brokenEnd.tool).toBe('broken');
    await page.getByTestId('scrubber').fill(String(brokenEnd.time - events[0]!.time));
    await expect
      .poll(() => calls.evaluateAll((items) => items.map((li) => li.getAttribute('data-status'))))
      .toEqual(['running', 'error']);
    expect(await calls.first().locator('.tool-time').textContent()).toMatch(/running \d+ ms$/);
    await page.close();
  }, 60_000);
});

describe('text from models, prompts and files', () => {
  const img = '<img src=x onerror="window.__pwned=1">';
  const script = '</script><script>window.__pwned=2</script>';

  it('is shown as written and never runs', async () => {
    const hostile = await recordPipeline({
      market: `Market ${img} and ${script} end`,
      failureMessage: `overloaded ${img}${script}`,
      writer: [
        JSON.stringify({ title: `Title ${script}`, sections: [img, 'two'] }),
        `Draft ${img} ${script}`,
        `Line ${script}`,
      ],
    });
    const { page, blocked } = await openReport(hostile.events, 'xss');
    expect(blocked).toEqual([]);
    await clickTask(page, 'draft');
    const details = page.getByTestId('details');
    await details.waitFor();
    expect(await page.getByTestId('details-response').textContent()).toBe(`Draft ${img} ${script}`);
    // The plan's prompt carries the market's answer, rendered into it.
    await clickTask(page, 'plan');
    await expect.poll(() => details.locator('h2').textContent()).toBe('plan');
    const prompt = await page.getByTestId('details-prompt').textContent();
    expect(prompt).toContain(`Market ${img} and ${script} end`);
    await clickTask(page, 'market');
    await expect.poll(() => details.locator('h2').textContent()).toBe('market');
    expect(await details.locator('table.attempts tbody tr').first().textContent()).toContain(
      `overloaded ${img}${script}`,
    );
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    // Only the page's own script is left (the boot data's element is removed once parsed).
    expect(await page.locator('script').count()).toBe(1);
    await page.close();
  }, 60_000);
});
