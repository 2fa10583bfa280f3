// The run view's server (issue 14) on the realistic scenario (3 parallel phases of 1,000
// tasks, 100 ms a call): the makespan with no view, with the view served and no page open,
// and with the page open in headless chromium following the run live; and how long after
// run:end the page shows the end.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { liveRunSource, serveRunView } from '@multi-context/web';
import { chromium } from 'playwright-core';
import { Subject } from 'rxjs';
import { TIMED, timedCall, timedWorkflow } from './timed-workflow.js';

const chromiumPath = process.env.MC_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(
    `web-serve needs chromium at ${chromiumPath}: apt-get install chromium (or set MC_CHROMIUM).`,
  );
}
const rounds = Number(process.argv[2] ?? 7);
/** The server's flush interval (its default unless WEB_SERVE_FLUSH_MS says otherwise). */
const flushIntervalMs =
  process.env.WEB_SERVE_FLUSH_MS === undefined ? undefined : Number(process.env.WEB_SERVE_FLUSH_MS);
const workflow = timedWorkflow('web serve');
const slow = defineProvider({ id: 'slow', complete: timedCall });
const total = TIMED.phases * TIMED.tasks;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

type Mode = 'no view' | 'served, no page' | 'stream read by curl' | 'page open';

/** One run; resolves to its makespan and, with a page, how long after run:end the page showed it. */
async function once(mode: Mode): Promise<{ makespanMs: number; endShownMs?: number }> {
  const orchestrator = new MultiContextOrchestrator({ providers: { slow } });
  const runId = randomUUID();
  const events$ = new Subject<RunEvent>();
  let cancel = (_reason: string) => {};
  const source = liveRunSource({
    runId,
    workflowName: workflow.name,
    events$,
    cancel: (r) => cancel(r),
  });
  const view = mode === 'no view' ? undefined : await serveRunView({ source, flushIntervalMs });
  const page =
    mode === 'page open'
      ? await browser.newPage({ viewport: { width: 1300, height: 800 } })
      : undefined;
  if (page !== undefined && view !== undefined) {
    await page.goto(view.runUrl(runId));
    // Record, in the page, the moment its header first says the run succeeded (after that frame).
    // A string, not a function: tsx would wrap a function's inner helpers in its own __name.
    await page.evaluate(`{
      const observer = new MutationObserver(() => {
        if (document.querySelector('.run-header .badge.status-succeeded') === null) return;
        observer.disconnect();
        requestAnimationFrame(() => { globalThis.__endShownAt = performance.timeOrigin + performance.now(); });
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    }`);
  }
  // The same stream read by another process that only reads it: the server's own share.
  const reader =
    mode === 'stream read by curl' && view !== undefined
      ? spawn('curl', ['-sN', new URL(`/api/runs/${runId}/events`, view.url).href], {
          stdio: ['ignore', 'ignore', 'ignore'],
        })
      : undefined;
  if (reader !== undefined) await new Promise((resolve) => setTimeout(resolve, 200));
  let endAt = 0;
  const t0 = performance.now();
  const run = orchestrator.run(workflow, { runId });
  cancel = (reason) => run.cancel(reason);
  run.events$.subscribe(events$);
  run.events$.subscribe((event) => {
    if (event.type === 'run:end') endAt = performance.timeOrigin + performance.now();
  });
  const result = await run.result;
  const makespanMs = performance.now() - t0;
  if (result.successfulTasks !== total) throw new Error('tasks failed');
  let endShownMs: number | undefined;
  if (page !== undefined) {
    await page.waitForFunction(
      () => (globalThis as { __endShownAt?: number }).__endShownAt !== undefined,
      null,
      { timeout: 30_000 },
    );
    const shownAt = await page.evaluate(
      () => (globalThis as { __endShownAt?: number }).__endShownAt!,
    );
    endShownMs = shownAt - endAt;
    if (process.env.WEB_SERVE_FRAMES === '1') {
      const frames = (await page.evaluate('globalThis.__mcView.frames')) as number[];
      console.log(
        `  page frames: ${frames.length}, drawing ${frames.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
      );
    }
    await page.close();
  }
  reader?.kill();
  await view?.close();
  return { makespanMs, endShownMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const modes: Mode[] = ['no view', 'served, no page', 'stream read by curl', 'page open'];
// Warm up: V8 optimises the scheduler over the first runs, and chromium its first page.
for (const mode of modes) await once(mode);
const results = new Map<Mode, { makespanMs: number; endShownMs?: number }[]>(
  modes.map((m) => [m, []]),
);
for (let round = 0; round < rounds; round++) {
  for (const mode of modes) results.get(mode)!.push(await once(mode));
}
await browser.close();

const base = median(results.get('no view')!.map((r) => r.makespanMs));
console.log(
  `web serve: ${TIMED.phases} phases x ${TIMED.tasks} tasks x ${TIMED.latencyMs} ms, median of ${rounds} interleaved runs`,
);
for (const mode of modes) {
  const makespans = results.get(mode)!.map((r) => r.makespanMs);
  const m = median(makespans);
  const spread = `${Math.min(...makespans).toFixed(0)}-${Math.max(...makespans).toFixed(0)}`;
  const ends = results
    .get(mode)!
    .flatMap((r) => (r.endShownMs === undefined ? [] : [r.endShownMs]));
  const end =
    ends.length === 0
      ? ''
      : `; end shown ${median(ends).toFixed(0)} ms after run:end (max ${Math.max(...ends).toFixed(0)})`;
  console.log(
    `  ${mode.padEnd(16)} makespan ${m.toFixed(0)} ms (${spread}), ${(((m - base) / base) * 100).toFixed(1)}% vs no view${end}`,
  );
}
