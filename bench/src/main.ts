// Runs every scenario in its own Node process (so one's heap never weighs on
// another's figures), prints a table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@multi-context/testing';
import type { ScenarioReport } from './scenario.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function run(file: string, ...args: string[]): ScenarioReport {
  return runCapped(8192, file, ...args);
}

/** A scenario in a process whose V8 old space is capped at `oldSpaceMB`. */
function runCapped(oldSpaceMB: number, file: string, ...args: string[]): ScenarioReport {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${oldSpaceMB}`, '--import', 'tsx', here(file), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = out.trim().split('\n').at(-1)!;
  return JSON.parse(line) as ScenarioReport;
}

const reports: ScenarioReport[] = [];
const show = (report: ScenarioReport) => {
  reports.push(report);
  const { name, ...figures } = report;
  console.log(
    `${name}\n  ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join('  ')}`,
  );
};

// `--only=core`, `--only=scale-out`, `--only=web`, `--only=prompt-caching` or `--only=tracing`
// runs one section (and checks only its targets).
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const section = (name: 'core' | 'scale-out' | 'web' | 'prompt-caching' | 'tracing') =>
  only === undefined || only === name;

console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB\n`,
);
const checks: (readonly [string, boolean])[] = [];
let growth: number | undefined;

if (section('core')) {
  for (const n of ['1000', '10000', '100000']) show(run('./promise-all-baseline.ts', n));
  const parallel: Record<string, ScenarioReport> = {};
  for (const [n, repeats] of [
    ['1000', '21'],
    ['10000', '9'],
    ['100000', '5'],
  ] as const) {
    parallel[n] = run('./parallel-phase.ts', n, repeats);
    show(parallel[n]);
  }
  const timed = run('./timed-phases.ts');
  show(timed);
  const appends = run('./context-appends.ts');
  show(appends);
  show(run('./load-workflow.ts'));
  const load100 = run('./load-workflow.ts', '100');
  show(load100);
  const loadFresh = run('./load-fresh-process.ts');
  show(loadFresh);
  const templates = run('./templated-phase.ts');
  show(templates);
  show(run('./journal-cost.ts'));
  const journal = run('./journal-realistic.ts');
  show(journal);
  const toolTrips = run('./tool-round-trip.ts');
  show(toolTrips);

  const us1k = Number(parallel['1000']!.usPerTask);
  const us10k = Number(parallel['10000']!.usPerTask);
  const us100k = Number(parallel['100000']!.usPerTask);
  growth = Math.round((us100k / us1k) * 100) / 100;
  console.log(`\nper-task cost at 100,000 / at 1,000: ${growth}\n`);
  checks.push(
    ['10,000 tasks at <= 10 us/task', us10k <= 10],
    ['100,000 tasks at <= 10 us/task', us100k <= 10],
    ['linear growth (100k/1k <= 1.5)', growth <= 1.5],
    ['3 x 100 ms phases within 3% of 300 ms', Math.abs(Number(timed.overheadPercent)) <= 3],
    ['1,000,000 appends well under a second (< 250 ms)', Number(appends.ms) < 250],
    [
      '10,000-task templated workflow file loads in a fresh process in < 1 s',
      Number(loadFresh.sinceProcessStartMs) < 1000,
    ],
    ['100-task templated workflow loads in < 20 ms warm', Number(load100.medianMs) < 20],
    ['template rendering adds < 1 us per task', Number(templates.differenceUs) < 1],
    ['durable journaling adds <= 3% to 3 x 1,000 x 100 ms', Number(journal.overheadPercent) <= 3],
    [
      `orchestrator's cost per tool round trip < 50 us (${toolTrips.usPerRoundTrip} us)`,
      Number(toolTrips.usPerRoundTrip) < 50,
    ],
  );
}

if (section('scale-out')) {
  // Scale out (issue 13): a redis-server of the bench's own (nothing on disk), ended however the
  // bench ends. Worker processes are started and ended by each scenario.
  const redis = await startRedisServer();
  const stopRedis = () => void redis.stop();
  process.once('exit', stopRedis);
  process.env.MC_BENCH_REDIS_URL = redis.url;
  try {
    const throughput = run('./scale-out-throughput.ts', '10000', '100', '3');
    show(throughput);
    const makespan = run('./scale-out-phases.ts', '4', '250', '5');
    show(makespan);
    const single = run('./scale-out-memory.ts', 'single', '100000');
    show(single);
    const workers = run('./scale-out-memory.ts', 'workers', '100000', '4', '100');
    show(workers);
    // The same coordinator with V8's old space capped so that its heap cannot pass twice the one
    // process's peak (the cap leaves room for the young generation): V8 then collects sooner
    // instead of letting garbage reach ~3x the live heap before its next full GC.
    const capMB = Math.floor(2 * Number(single.peakHeapMB)) - 32;
    const capped = runCapped(capMB, './scale-out-memory.ts', 'workers', '100000', '4', '100');
    show(capped);
    console.log('');
    for (const count of [1, 2, 4])
      checks.push([
        `scale-out: 10,000 instant tasks, ${count} worker process(es), >= 50% of raw BullMQ's jobs/s (ratio ${throughput[`ratio${count}`]})`,
        Number(throughput[`ratio${count}`]) >= 0.5,
      ]);
    checks.push(
      [
        `scale-out: 3 x 1,000 x 100 ms over 4 workers within 10% of raw BullMQ's makespan (${makespan.overBaselinePercent}% over)`,
        Number(makespan.overBaselinePercent) <= 10,
      ],
      [
        `scale-out: coordinator memory, 100,000 tasks, <= 2x one process (heap ${ratio(workers.peakHeapMB, single.peakHeapMB)}x, RSS ${ratio(workers.maxRssMB, single.maxRssMB)}x)`,
        Number(workers.peakHeapMB) <= 2 * Number(single.peakHeapMB) &&
          Number(workers.maxRssMB) <= 2 * Number(single.maxRssMB),
      ],
      [
        `scale-out: the same coordinator with its heap capped at 2x one process's completes within 10% of its uncapped time (heap ${ratio(capped.peakHeapMB, single.peakHeapMB)}x, RSS ${ratio(capped.maxRssMB, single.maxRssMB)}x, ${capped.ms} ms vs ${workers.ms} ms)`,
        Number(capped.peakHeapMB) <= 2 * Number(single.peakHeapMB) &&
          Number(capped.maxRssMB) <= 2 * Number(single.maxRssMB) &&
          Number(capped.ms) <= 1.1 * Number(workers.ms),
      ],
    );
  } finally {
    await redis.stop();
    process.off('exit', stopRedis);
  }
}

if (section('web')) {
  // The run view (issue 14) in headless chromium (/usr/bin/chromium): a 10,000-task report.
  const web = run('./web-open.ts', '10000');
  show(web);
  checks.push(
    [
      `web: a finished 10,000-task run's report paints its timeline in < 2 s (${web.firstPaintMs} ms)`,
      Number(web.firstPaintMs) < 2000,
    ],
    [
      `web: scrolling and zooming it, every draw < 50 ms and 95% of frames < 50 ms (draw max ${web.drawMaxMs} ms, frame p95 ${web.frameP95Ms} ms)`,
      Number(web.drawMaxMs) < 50 && Number(web.frameP95Ms) < 50,
    ],
  );
  // Serving a live run (issue 14): 3 x 1,000 x 100 ms with no view, served with no page, read by
  // curl, followed by a page in chromium (opened before the run, or as it starts), interleaved.
  const serve = run('./web-serve.ts', '11');
  show(serve);
  checks.push(
    [
      `web: serving a run whose page is not open costs nothing measurable (${serve.servedNoPagePercent}% vs no view; run-to-run spread ${serve.noViewSpreadPercent}%)`,
      Number(serve.servedNoPagePercent) <= Number(serve.noViewSpreadPercent),
    ],
    [
      `web: a page open following the run adds <= 5% to its makespan (${serve.pageOpenPercent}%; a page opened as the run starts, its opening included: ${serve.openedAtStartPercent}%)`,
      Number(serve.pageOpenPercent) <= 5,
    ],
    [
      `web: the page shows the run's end <= 500 ms after run:end, every run (max ${serve.endShownMaxMs} ms, median ${serve.endShownMedianMs} ms; opened as the run starts: max ${serve.openedAtStartEndShownMaxMs} ms)`,
      Math.max(Number(serve.endShownMaxMs), Number(serve.openedAtStartEndShownMaxMs)) <= 500,
    ],
  );
}

if (section('prompt-caching')) {
  // Prompt caching (issue 16): 10 contexts x 20 turns against local Anthropic- and OpenAI-wire
  // servers that bill caching as the APIs do.
  const caching = run('./prompt-caching.ts', '10', '20');
  show(caching);
  checks.push([
    `prompt caching: billed input cost with caching >= 70% below the same run without it (${caching.costLowerPercent}% lower; OpenAI's cached-token share ${caching.openaiCachedSharePercent}%)`,
    Number(caching.costLowerPercent) >= 70,
  ]);
}

if (section('tracing')) {
  // OpenTelemetry traces (issue 16): traceRun's cost on the realistic scenario's makespan and
  // per instant task, spans exported over OTLP/HTTP to a collector in another process.
  const tracing = run('./tracing.ts', '10000');
  show(tracing);
  checks.push([
    `tracing: adds <= 5% to the makespan of 3 phases x 1,000 tasks x 100 ms (${tracing.overheadPercent}%; ${tracing.tracingPerTaskUs} us per instant task)`,
    Number(tracing.overheadPercent) <= 5,
  ]);
}

for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${what}`);
writeFileSync(
  here(only === undefined ? '../results.json' : `../results-${only}.json`),
  `${JSON.stringify({ node: process.version, reports, growth }, null, 2)}\n`,
);
if (checks.some(([, ok]) => !ok)) process.exitCode = 1;

function ratio(
  a: ScenarioReport[string] | undefined,
  b: ScenarioReport[string] | undefined,
): number {
  return Math.round((Number(a) / Number(b)) * 100) / 100;
}
