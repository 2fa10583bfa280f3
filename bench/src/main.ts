// Runs every scenario in its own Node process (so one's heap never weighs on
// another's figures), prints a table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ScenarioReport } from './scenario.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function run(file: string, ...args: string[]): ScenarioReport {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', here(file), ...args],
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

console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB\n`,
);
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
show(run('./timed-phases.ts'));
show(run('./context-appends.ts'));
show(run('./load-workflow.ts'));
show(run('./load-workflow.ts', '100'));
show(run('./load-fresh-process.ts'));
show(run('./templated-phase.ts'));
show(run('./journal-cost.ts'));
show(run('./journal-realistic.ts'));

const us1k = Number(parallel['1000']!.usPerTask);
const us10k = Number(parallel['10000']!.usPerTask);
const us100k = Number(parallel['100000']!.usPerTask);
const growth = Math.round((us100k / us1k) * 100) / 100;
console.log(`\nper-task cost at 100,000 / at 1,000: ${growth}`);
const timed = reports.find((r) => r.name.startsWith('3 parallel'))!;
const appends = reports.find((r) => r.name.startsWith('1,000,000'))!;
const load100 = reports.find((r) => r.name.startsWith('load + validate a 100-task'))!;
const loadFresh = reports.find((r) => r.name.startsWith('load a 10000-task workflow file'))!;
const templates = reports.find((r) => r.name.startsWith('template rendering'))!;
const journal = reports.find((r) => r.name.startsWith('journal cost, 3 parallel'))!;
const checks = [
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
] as const;
for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${what}`);
writeFileSync(
  here('../results.json'),
  `${JSON.stringify({ node: process.version, reports, growth }, null, 2)}\n`,
);
if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
