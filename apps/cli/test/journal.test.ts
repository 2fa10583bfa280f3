import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import {
  announcedRunId,
  defaultJournal,
  hasHeader,
  interruptedRun,
  journalLines,
  PIPELINE,
  useJournalWorkspace,
} from './journal-cli.js';
import { parseEventLines, workspace } from './workspace.js';

const noStackTrace = /^\s+at /m;

const space = useJournalWorkspace();
const cli = space.cli;

describe('run journals every run', () => {
  it('under the working directory by default, says where, and holds every event it printed', async () => {
    const quiet = await cli(['run', 'pipeline.yaml', '--quiet']);
    expect(quiet.code).toBe(0);
    const runId = announcedRunId(quiet.stderr);
    const journal = `.multi-context/runs/${runId}/events.jsonl`;
    const announced = quiet.stderr.split('\n');
    const at = announced.indexOf(`run ${runId}`);
    expect(announced.slice(at, at + 2)).toEqual([`run ${runId}`, `  journal: ${journal}`]);
    // Each on a line that fits a terminal of 80 columns.
    for (const line of announced.slice(at, at + 2)) expect(line.length).toBeLessThanOrEqual(80);
    const { header, events } = journalLines(join(space.dir, journal));
    expect(header).toMatchObject({ kind: 'multi-context-journal', runId, inputs: {} });
    expect(header.workflow).toMatchObject({ name: 'Journal pipeline' });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });

    // With --json, stderr stays free of it (every event carries the id), and the journal is the stream.
    const json = await cli(['run', 'pipeline.yaml', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).not.toMatch(/^run /m);
    const printed = parseEventLines(json.stdout);
    const recorded = journalLines(defaultJournal(space.dir, printed[0]!.runId));
    expect(recorded.events).toEqual(printed);
  });

  it('in the folder --journal-dir names, which the history commands take too', async () => {
    const outcome = await cli(['run', 'pipeline.yaml', '--quiet', '--journal-dir', 'elsewhere']);
    expect(outcome.code).toBe(0);
    const runId = announcedRunId(outcome.stderr);
    expect(outcome.stderr).toContain(`run ${runId}\n  journal: elsewhere/${runId}/events.jsonl\n`);
    expect(hasHeader(join(space.dir, 'elsewhere', runId, 'events.jsonl'))).toBe(true);

    const shown = await cli(['show', runId, '--json', '--journal-dir', 'elsewhere']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ runId, status: 'succeeded' });
    const missing = await cli(['show', runId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `multi-context: no run "${runId}" in .multi-context/runs; 'multi-context runs' lists the runs there.\n`,
    );
  });

  it.skipIf(process.platform === 'win32')(
    'readable by its owner only: folders 0700 and the file 0600, after a resume too, whatever the umask',
    async () => {
      const own = workspace({ 'pipeline.yaml': PIPELINE });
      const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
      // The loosest umask, which the CLI's children inherit: no bit is left to it.
      const umask = process.umask(0);
      try {
        const first = await interruptedRun(own.dir, 'SIGINT', (event) => event.type === 'task:end');
        expect(first.outcome.code).toBe(130);
        const journal = defaultJournal(own.dir, first.runId);
        for (const folder of ['.multi-context', '.multi-context/runs', dirname(journal)]) {
          expect(modeOf(resolve(own.dir, folder)), folder).toBe('700');
        }
        expect(modeOf(journal)).toBe('600');

        // A journal left readable (by an older version) is private again once resumed.
        chmodSync(journal, 0o644);
        chmodSync(dirname(journal), 0o755);
        const resumed = await runCli(['resume', first.runId, '--quiet'], { cwd: own.dir });
        expect(resumed.code, resumed.stderr).toBe(0);
        const announced = resumed.stderr.split('\n');
        const at = announced.findIndex((line) => line.startsWith(`resuming run ${first.runId}: `));
        expect(announced[at + 1]).toBe(
          `  journal: .multi-context/runs/${first.runId}/events.jsonl`,
        );
        for (const line of announced.slice(at, at + 2)) expect(line.length).toBeLessThanOrEqual(80);
        expect(modeOf(dirname(journal))).toBe('700');
        expect(modeOf(journal)).toBe('600');
      } finally {
        process.umask(umask);
        own.remove();
      }
    },
  );

  it('not with --no-journal: no file is written', async () => {
    const bare = workspace({ 'pipeline.yaml': PIPELINE });
    try {
      const outcome = await runCli(['run', 'pipeline.yaml', '--quiet', '--no-journal'], {
        cwd: bare.dir,
      });
      expect(outcome.code).toBe(0);
      expect(outcome.stderr).toMatch(/^run [0-9a-f-]{36} \(not journaled\)$/m);
      expect(Object.keys(bare.files())).toEqual(['pipeline.yaml']);
    } finally {
      bare.remove();
    }
  });

  it('and does not start a run it cannot journal: exit 1, one line saying why', async () => {
    writeFileSync(join(space.dir, 'not-a-folder'), 'a file\n');
    const outcome = await cli(['run', 'pipeline.yaml', '--journal-dir', 'not-a-folder']);
    expect(outcome.code).toBe(1);
    const lines = outcome.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^multi-context: cannot journal the run, so it was not started: Cannot write the journal .*not-a-folder\/[0-9a-f-]{36}\/events\.jsonl: /,
    );
    expect(outcome.stderr).not.toMatch(/^run /m);
    expect(outcome.stderr).not.toMatch(noStackTrace);
    expect(outcome.stdout).toBe('');
  });
});

describe('resume', () => {
  const dir = 'resumes';
  const inDir = (args: string[]) => cli([...args, '--journal-dir', dir]);
  const journalOf = (runId: string) => join(space.dir, dir, runId, 'events.jsonl');
  const promptsOf = (events: RunEvent[]) =>
    events.flatMap((event) => (event.type === 'task:start' ? [event.prompt] : []));

  it('runs with the inputs the journal recorded, and refuses an --input that changes one', async () => {
    const started = (event: RunEvent) => event.type === 'task:end';
    const first = await interruptedRun(
      space.dir,
      'SIGINT',
      started,
      ['--journal-dir', dir, '--input', 'topic=tides'],
      'inputs.yaml',
    );
    expect(first.outcome.code).toBe(130);
    expect(journalLines(journalOf(first.runId)).header.inputs).toEqual({ topic: 'tides' });

    // No --input: the recorded value.
    const resumed = await inDir(['resume', first.runId, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const events = parseEventLines(resumed.stdout);
    expect(events[0]).toMatchObject({ type: 'run:resume', runId: first.runId });
    expect(promptsOf(events)).toEqual(['Second about tides']);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });

    const second = await interruptedRun(
      space.dir,
      'SIGINT',
      started,
      ['--journal-dir', dir, '--input', 'topic=tides'],
      'inputs.yaml',
    );
    const before = readFileSync(journalOf(second.runId));
    const changed = await inDir(['resume', second.runId, '--input', 'topic=sand']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toBe(
      'multi-context: --input topic: the run started with "tides", and a resumed run keeps the inputs its journal recorded; leave --input topic out.\n',
    );
    expect(readFileSync(journalOf(second.runId)).equals(before)).toBe(true);
    // The same value again is fine.
    const same = await inDir(['resume', second.runId, '--input', 'topic=tides', '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(promptsOf(parseEventLines(same.stdout))).toEqual(['Second about tides']);
  });

  it('prints each phase once in plain output, and does not count the time the run was stopped', async () => {
    // Stopped once the Draft phase has begun: a task of it has started.
    const first = await interruptedRun(
      space.dir,
      'SIGINT',
      (event) => event.type === 'task:start' && event.taskId === 'summary',
      ['--journal-dir', dir],
    );
    expect(first.outcome.code).toBe(130);
    // As if it had been stopped an hour ago.
    const file = journalOf(first.runId);
    const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
    const earlier = lines.map((line) => {
      const event = JSON.parse(line) as RunEvent;
      return JSON.stringify({ ...event, time: event.time - 3_600_000 });
    });
    writeFileSync(file, `${[header, ...earlier].join('\n')}\n`);

    const resumed = await inDir(['resume', first.runId, '--mock-delay', '0']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const progress = resumed.stdout.slice(0, resumed.stdout.indexOf('\nResponses\n'));
    const headers = progress.split('\n').filter((line) => /^\[phase \d\/3\] \S+ \(/.test(line));
    expect(headers).toEqual([
      '[phase 2/3] Draft (sequential, 2 tasks)',
      '[phase 3/3] Review (parallel, 2 tasks)',
    ]);
    const counts = /^Journal pipeline: resumed, (\d) of 6 tasks kept, (\d) to run$/.exec(
      progress.split('\n')[0]!,
    );
    expect(Number(counts?.[1]) + Number(counts?.[2])).toBe(6);

    const shown = JSON.parse((await inDir(['show', first.runId, '--json'])).stdout);
    expect(shown.status).toBe('succeeded');
    expect(shown.durationMs).toBeLessThan(60_000);
    expect(resumed.stdout).toMatch(/^✔ Run succeeded in \d+(ms|\.\ds)$/m);
  });

  it('starts a run whose process died before its first event was written, under its id', async () => {
    const done = await inDir(['run', 'inputs.yaml', '--quiet', '--input', 'topic=tides']);
    expect(done.code).toBe(0);
    const [headerLine] = readFileSync(journalOf(announcedRunId(done.stderr)), 'utf8').split('\n');
    const header = { ...JSON.parse(headerLine!), runId: 'fresh-run' };
    mkdirSync(dirname(journalOf('fresh-run')), { recursive: true });
    writeFileSync(journalOf('fresh-run'), `${JSON.stringify(header)}\n`);
    expect((await inDir(['runs', '--json'])).stdout).toContain('"status": "incomplete"');

    const started = await inDir(['resume', 'fresh-run', '--quiet']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toContain(
      `run fresh-run never started; starting it now\n  journal: ${dir}/fresh-run/events.jsonl\n`,
    );
    const { events } = journalLines(journalOf('fresh-run'));
    expect(events[0]).toMatchObject({ type: 'run:start', runId: 'fresh-run', seq: 0 });
    expect(promptsOf(events)).toEqual(['First about tides', 'Second about tides']);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
  });
});
