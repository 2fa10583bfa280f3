import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRoot, fixture, runCli } from './cli-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'multi-context-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mockNotice =
  'multi-context: no provider configured and no OPENAI_API_KEY or ANTHROPIC_API_KEY set, so the offline mock provider answers.\n';

function parseLines(stdout: string): RunEvent[] {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => runEventSchema.parse(JSON.parse(line)));
}

/** A workflow whose first phase fails in `fails` and stops there. */
function failingWorkflow(): string {
  const file = join(tmp, 'failing.yaml');
  writeFileSync(
    file,
    [
      'name: Failing pipeline',
      'phases:',
      '  - name: Research',
      '    execution_mode: parallel',
      '    tasks:',
      '      - context_name: fails',
      '        profile: researcher',
      '        prompt: This call fails',
      '      - context_name: works',
      '        profile: researcher',
      '        prompt: This call works',
      '  - name: Writing',
      '    tasks:',
      '      - context_name: writer',
      '        prompt: Never runs',
      'config:',
      '  continue_on_error: false',
      '',
    ].join('\n'),
  );
  return file;
}

describe('multi-context run --json', () => {
  it.each([
    ['example_workflow.yaml', 9],
    ['seed_readme_workflow.yaml', 6],
  ])('prints every event of %s as one JSON line, and exits 0', async (name, tasks) => {
    const { code, stdout, stderr } = await runCli(['run', fixture(name), '--json']);
    expect(stderr).toBe(mockNotice);
    expect(code).toBe(0);

    const events = parseLines(stdout);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(new Set(events.map((event) => event.runId)).size).toBe(1);
    expect(events[0]!.type).toBe('run:start');
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    const ends = events.filter((event) => event.type === 'task:end');
    expect(ends).toHaveLength(tasks);
    expect(ends.every((event) => event.status === 'succeeded')).toBe(true);
    expect(events.some((event) => event.type === 'task:delta')).toBe(true);
  });

  it('ends a failing run with run:end failed, and exits 1', async () => {
    const { code, stdout } = await runCli([
      'run',
      failingWorkflow(),
      '--json',
      '--mock-fail',
      'fails',
    ]);
    expect(code).toBe(1);
    const events = parseLines(stdout);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'failed' });
    const statuses = Object.fromEntries(
      events.flatMap((event) => (event.type === 'task:end' ? [[event.taskId, event.status]] : [])),
    );
    expect(statuses).toEqual({ fails: 'failed', works: 'succeeded', writer: 'skipped' });
  });
});

describe('multi-context run (plain output)', () => {
  it('shows the phases, each task, the responses and a summary', async () => {
    const { code, stdout, stderr } = await runCli([
      'run',
      fixture('example_workflow.yaml'),
      '--mock-delay',
      '0',
    ]);
    // The notice, then the run's id and its journal, under the working directory.
    const [notice, announced, journal, ...rest] = stderr.split('\n');
    expect(`${notice}\n`).toBe(mockNotice);
    const runId = /^run ([0-9a-f-]{36})$/.exec(announced!)?.[1];
    expect(runId, announced).toBeDefined();
    expect(journal).toBe(`  journal: .multi-context/runs/${runId}/events.jsonl`);
    expect(rest).toEqual(['']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Content Creation Pipeline: 4 phases, 9 tasks');
    expect(lines[1]).toBe('[phase 1/4] Research Phase (parallel, 3 tasks)');
    expect(lines).toContain('[phase 2/4] Content Creation Phase (sequential, 2 tasks)');
    expect(lines).toContain('[phase 3/4] Review Phase (parallel, 2 tasks)');
    expect(lines).toContain('[phase 4/4] Final Polish Phase (sequential, 2 tasks)');
    expect(lines.filter((line) => /^\[phase \d\/4\] .* succeeded in \d/.test(line))).toHaveLength(
      4,
    );
    expect(stdout).toMatch(/^ {2}✔ market_research \(researcher\) 1 attempt \d+ms$/m);
    expect(stdout).toMatch(/^ {2}✔ content_writer \(writer\) 1 attempt \d+ms$/m);
    // The polish phase's task in the same context has an id of its own, and says whose context it is.
    expect(stdout).toMatch(
      /^ {2}✔ content_writer-2 \(general-assistant, context content_writer\) 1 attempt \d+ms$/m,
    );

    expect(lines).toContain('Responses');
    // The default profile answers the tasks that name none; the context remembers phase 2.
    expect(stdout).toMatch(
      /general-assistant profile in the content_writer context, which has 2 earlier messages/,
    );

    expect(lines.at(-4)).toMatch(/^✔ Run succeeded in \d/);
    expect(lines.at(-3)).toBe('  Tasks   9 succeeded · 0 failed · 0 skipped · 0 cancelled');
    expect(lines.at(-2)).toMatch(/^ {2}Tokens {2}[\d,]+ \([\d,]+ in, [\d,]+ out\)$/);
  });

  it('prints only the summary with --quiet', async () => {
    const { code, stdout } = await runCli(['run', fixture('seed_readme_workflow.yaml'), '--quiet']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('[phase');
    expect(stdout).not.toContain('Responses');
    expect(stdout).toContain('Tasks   6 succeeded · 0 failed · 0 skipped · 0 cancelled');
  });

  it('shows failed and skipped tasks with their reasons, and exits 1', async () => {
    const { code, stdout } = await runCli(['run', failingWorkflow(), '--mock-fail', 'fails']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^ {2}↻ fails \(researcher\) attempt 2 in \d+ms, after: Injected failure/m,
    );
    expect(stdout).toMatch(
      /^ {2}✖ fails \(researcher\) failed 3 attempts [\d.]+m?s: Injected failure/m,
    );
    expect(stdout).toMatch(/^ {2}↷ writer Skipped: /m);
    expect(stdout).toContain('✖ Run failed in');
    expect(stdout).toContain('Tasks   1 succeeded · 1 failed · 1 skipped · 0 cancelled');
  });

  it('labels each task by its id, with its context beside it, in progress, responses and show', async () => {
    // The demo's second "brief" task and its last "market" task share their contexts with earlier ones.
    const demo = join(cliRoot, '../../examples/demo/workflow.yaml');
    const journals = join(tmp, 'labels');
    const { code, stdout, stderr } = await runCli(['run', demo, '--journal-dir', journals]);
    expect(code).toBe(0);
    const progress = stdout.slice(0, stdout.indexOf('\nResponses\n'));
    const responses = stdout.slice(stdout.indexOf('\nResponses\n'));
    expect(progress).toMatch(/^ {2}✔ brief \(writer\) 1 attempt \d+ms$/m);
    expect(progress).toMatch(/^ {2}✔ brief-2 \(writer, context brief\) 1 attempt \d+ms$/m);
    expect(progress).toMatch(/^ {2}✔ market-2 \(assistant, context market\) 1 attempt \d+ms$/m);
    expect(responses).toMatch(/^ {2}✔ brief \(writer\)$/m);
    expect(responses).toMatch(/^ {2}✔ brief-2 \(writer, context brief\)$/m);
    expect(responses).toMatch(/^ {2}✔ market-2 \(assistant, context market\)$/m);

    const runId = /^run ([0-9a-f-]{36})$/m.exec(stderr)![1]!;
    const shown = await runCli(['show', runId, '--journal-dir', journals]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}✔ brief-2 \(writer, context brief\) 1 attempt · /m);
    expect(shown.stdout).toMatch(/^ {2}✔ market-2 \(assistant, context market\) 1 attempt · /m);
  });

  it('reports a workflow that does not load like validate does, and exits 2', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, 'name: Broken\nphases:\n  - name: A\n    taks: []\n');
    const { code, stdout, stderr } = await runCli(['run', file, '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:4:5: `);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
