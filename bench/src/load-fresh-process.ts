// The CLI's case: a fresh `node` process imports the built loader and loads a
// workflow file once. Reported per phase of the process (import, then the one
// load) and as the whole time from process start, median of several processes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templatedWorkflowText } from './load-workflow-text.js';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);
const processes = Number(process.argv[3] ?? 5);

// The loader as a host or the CLI imports it: the built package, through its exports.
const loaderUrl = import.meta.resolve('@multi-context/loader');

const probe = `
const start = performance.now();
const { loadWorkflow } = await import(${JSON.stringify(loaderUrl)});
const imported = performance.now();
const workflow = await loadWorkflow(process.argv[1]);
const loaded = performance.now();
const count = workflow.phases.reduce((n, p) => n + p.tasks.length, 0);
console.log(JSON.stringify({ count, importMs: imported - start, loadMs: loaded - imported, sinceStartMs: loaded }));
`;

await scenario(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-load-'));
  try {
    const file = join(dir, 'workflow.yaml');
    writeFileSync(file, templatedWorkflowText(tasks));
    const runs: { count: number; importMs: number; loadMs: number; sinceStartMs: number }[] = [];
    for (let i = 0; i < processes; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe, file], {
        encoding: 'utf8',
      });
      runs.push(JSON.parse(out));
    }
    if (runs.some((run) => run.count !== tasks))
      throw new Error('a process loaded the wrong count');
    const median = (pick: (run: (typeof runs)[number]) => number) =>
      Math.round(runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)]! * 10) / 10;
    return {
      name: `load a ${tasks}-task workflow file in a fresh process`,
      processes,
      importMs: median((run) => run.importMs),
      loadMs: median((run) => run.loadMs),
      sinceProcessStartMs: median((run) => run.sinceStartMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
