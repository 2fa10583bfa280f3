// The run view's server (issue 14) on the realistic scenario (3 parallel phases of 1,000
// tasks, 100 ms a call): the makespan with no view, with the view served and no page open,
// with its stream read by curl, and with the page open in headless chromium following the run
// live (opened and settled before the run, or opened as it starts); and how long after run:end
// the page shows the end. `node --import tsx src/web-serve.ts [rounds]`. Prints its figures on stderr and its report (for main.ts) as
// the last line of stdout.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { launchChromium } from '@multi-context/testing';
import { liveRunSource, serveRunView } from '@multi-context/web';
import { Subject } from 'rxjs';
import { scenario } from './scenario.js';
import { TIMED, timedCall, timedWorkflow } from './timed-workflow.js';

const rounds = Number(process.argv[2] ?? 11);
/** The server's flush interval (its default unless WEB_SERVE_FLUSH_MS says otherwise). */
const flushIntervalMs =
  process.env.WEB_SERVE_FLUSH_MS === undefined ? undefined : Number(process.env.WEB_SERVE_FLUSH_MS);
const workflow = timedWorkflow('web serve');
const slow = defineProvider({ id: 'slow', complete: timedCall });
const total = TIMED.phases * TIMED.tasks;

const browser = await launchChromium();

type Mode =
  | 'no view'
  | 'served, no page'
  | 'stream read by curl'
  | 'page open'
  | 'page opened at start';

/**
 * How long a page is left to settle after it loaded, before the run starts ('page open'):
 * chromium spends about 600 ms of CPU in the 400 ms after a new page's load event (whatever
 * the page), then next to nothing while the page waits. 'page opened at start' starts the run
 * right after the load event instead, so that opening cost falls on the run too.
 */
const SETTLE_MS = 800;

interface Outcome {
  makespanMs: number;
  /** From run:end emitted to the frame after the page's header said so. */
  endShownMs?: number;
  /** CPU time of this process over the run (the run, the server), ms. */
  nodeCpuMs: number;
  /** CPU time of chromium's processes over the run and until the end was shown, ms. */
  chromiumCpuMs?: number;
}

/** The CPU time, in ms, of every process descended from this one (chromium's, curl). */
function childrenCpuMs(): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // After the command's closing parenthesis: state, ppid, ..., utime (12th), stime (13th).
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
      parents.set(Number(name), Number(fields[1]));
      cpu.set(Number(name), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // Gone meanwhile.
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === process.pid) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

/** One run; resolves to its makespan and, with a page, how long after run:end the page showed it. */
async function once(mode: Mode): Promise<Outcome> {
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
  const withPage = mode === 'page open' || mode === 'page opened at start';
  const page = withPage
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
    if (mode === 'page open') await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
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
  const childrenBefore = childrenCpuMs();
  const nodeBefore = process.cpuUsage();
  const t0 = performance.now();
  const run = orchestrator.run(workflow, { runId });
  cancel = (reason) => run.cancel(reason);
  run.events$.subscribe(events$);
  run.events$.subscribe((event) => {
    if (event.type === 'run:end') endAt = performance.timeOrigin + performance.now();
  });
  const result = await run.result;
  const makespanMs = performance.now() - t0;
  const nodeCpu = process.cpuUsage(nodeBefore);
  const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000;
  if (result.successfulTasks !== total) throw new Error('tasks failed');
  let endShownMs: number | undefined;
  let chromiumCpuMs: number | undefined;
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
    chromiumCpuMs = childrenCpuMs() - childrenBefore;
    if (process.env.WEB_SERVE_FRAMES === '1') {
      const frames = (await page.evaluate('globalThis.__mcView.frames')) as number[];
      process.stderr.write(
        `  page frames: ${frames.length}, drawing ${frames.reduce((a, b) => a + b, 0).toFixed(0)} ms\n`,
      );
    }
    await page.close();
  }
  reader?.kill();
  await view?.close();
  return { makespanMs, endShownMs, nodeCpuMs, chromiumCpuMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** The value below which `q` of `values` fall (nearest rank). */
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round1 = (value: number) => Math.round(value * 10) / 10;

const modes: Mode[] = [
  'no view',
  'served, no page',
  'stream read by curl',
  'page open',
  'page opened at start',
];
await scenario(async () => {
  // Warm up: V8 optimises the scheduler over the first runs, and chromium its first page.
  for (const mode of modes) await once(mode);
  const results = new Map<Mode, Outcome[]>(modes.map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) results.get(mode)!.push(await once(mode));
  }
  await browser.close();

  const makespans = (mode: Mode) => results.get(mode)!.map((r) => r.makespanMs);
  const base = median(makespans('no view'));
  const percent = (mode: Mode) => round1(((median(makespans(mode)) - base) / base) * 100);
  // The run-to-run spread of the interleaved rounds without a view: the interquartile range of
  // their makespans, as a share of their median. A cost within it is not measurable here.
  const noise = round1(
    ((quantile(makespans('no view'), 0.75) - quantile(makespans('no view'), 0.25)) / base) * 100,
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(
    `web serve: ${TIMED.phases} phases x ${TIMED.tasks} tasks x ${TIMED.latencyMs} ms, median of ${rounds} interleaved runs (no-view spread, IQR: ${noise}%)`,
  );
  for (const mode of modes) {
    const all = results.get(mode)!;
    const m = median(makespans(mode));
    const spread = `${Math.min(...makespans(mode)).toFixed(0)}-${Math.max(...makespans(mode)).toFixed(0)}`;
    const ends = all.flatMap((r) => (r.endShownMs === undefined ? [] : [r.endShownMs]));
    const cpu = all.flatMap((r) => (r.chromiumCpuMs === undefined ? [] : [r.chromiumCpuMs]));
    const end =
      ends.length === 0
        ? ''
        : `; end shown ${median(ends).toFixed(0)} ms after run:end (max ${Math.max(...ends).toFixed(0)}); chromium CPU ${median(cpu).toFixed(0)} ms a run`;
    log(
      `  ${mode.padEnd(21)} makespan ${m.toFixed(0)} ms (${spread}), ${percent(mode)}% vs no view; node CPU ${median(all.map((r) => r.nodeCpuMs)).toFixed(0)} ms${end}`,
    );
  }
  const page = results.get('page open')!;
  const ends = page.map((r) => r.endShownMs!);
  return {
    name: `web: a live run (${TIMED.phases} x ${TIMED.tasks.toLocaleString('en-US')} tasks x ${TIMED.latencyMs} ms) served by serveRunView, ${rounds} interleaved rounds`,
    noViewMs: round1(base),
    noViewSpreadPercent: noise,
    servedNoPageMs: round1(median(makespans('served, no page'))),
    servedNoPagePercent: percent('served, no page'),
    curlPercent: percent('stream read by curl'),
    pageOpenMs: round1(median(makespans('page open'))),
    pageOpenPercent: percent('page open'),
    pageOpenMaxMs: round1(Math.max(...makespans('page open'))),
    endShownMedianMs: round1(median(ends)),
    endShownMaxMs: round1(Math.max(...ends)),
    chromiumCpuMs: round1(median(page.map((r) => r.chromiumCpuMs!))),
    openedAtStartPercent: percent('page opened at start'),
    openedAtStartEndShownMaxMs: round1(
      Math.max(...results.get('page opened at start')!.map((r) => r.endShownMs!)),
    ),
    openedAtStartChromiumCpuMs: round1(
      median(results.get('page opened at start')!.map((r) => r.chromiumCpuMs!)),
    ),
    nodeCpuPageOpenMs: round1(median(page.map((r) => r.nodeCpuMs))),
    nodeCpuNoViewMs: round1(median(results.get('no view')!.map((r) => r.nodeCpuMs))),
  };
});
