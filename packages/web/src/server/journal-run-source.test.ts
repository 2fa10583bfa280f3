import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { attachJournal, journalPath } from '@multi-context/journal';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRun, testWorkflow } from '../../test/server/recorded-run.js';
import { journalRunSource } from './journal-run-source.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-web-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let done: RunEvent[];
let partialPath: string;
let partialLines: string[];
/** The lines of the partial journal not written yet: the test appends them. */
let restLines: string[];

async function journal(runId: string, events: RunEvent[]): Promise<string> {
  const events$ = new Subject<RunEvent>();
  const writer = attachJournal({ runId, workflow: testWorkflow, events$ }, { dir, fsync: false });
  for (const event of events) events$.next(event);
  events$.complete();
  await writer.flush();
  await writer.done.catch(() => {});
  return writer.path;
}

beforeAll(async () => {
  ({ events: done } = await recordRun('run-done'));
  await journal('run-done', done);
  const { events } = await recordRun('run-partial');
  // The partial run: every line written, then the last ones taken back off, to be appended later.
  const path = await journal('run-partial', events);
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  partialLines = lines.slice(0, 5);
  restLines = lines.slice(5);
  partialPath = path;
  await writeFile(path, `${partialLines.join('\n')}\n`);
});

describe('journalRunSource', () => {
  it('lists the runs of the folder with their outcome, tasks and tokens', async () => {
    const source = journalRunSource({ dir });
    const runs = await source.listRuns();
    const byId = Object.fromEntries(runs.map((run) => [run.runId, run]));
    expect(byId['run-done']).toMatchObject({
      workflowName: 'Server test',
      status: 'succeeded',
      live: false,
      tasks: { total: 3, succeeded: 3, failed: 0, skipped: 0, cancelled: 0 },
    });
    const end = done.at(-1) as RunEvent & { type: 'run:end' };
    expect(byId['run-done']!.tokens).toBe(end.result.usage.totalTokens);
    expect(byId['run-partial']).toMatchObject({ status: 'running', live: true });
    // A run without run:end whose last event is old most likely died: interrupted.
    const stale = await journalRunSource({ dir, staleAfterMs: -1 }).listRuns();
    expect(stale.find((run) => run.runId === 'run-partial')).toMatchObject({
      status: 'interrupted',
      live: false,
    });
  });

  it('gives a finished run the events after a seq, and completes', async () => {
    const source = journalRunSource({ dir });
    const all = await lastValueFrom((await source.events('run-done', -1))!.pipe(toArray()));
    expect(all).toEqual(done);
    const rest = await lastValueFrom((await source.events('run-done', 6))!.pipe(toArray()));
    expect(rest.map((event) => event.seq)).toEqual(done.slice(7).map((event) => event.seq));
  });

  it('follows a run in progress: what is written, then each new line, until run:end', async () => {
    const source = journalRunSource({ dir, pollIntervalMs: 10 });
    const stream = await source.events('run-partial', 1);
    const seen = lastValueFrom(stream!.pipe(toArray()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const line of restLines) await appendFile(partialPath, `${line}\n`);
    const events = await seen;
    const total = partialLines.length - 1 + restLines.length;
    expect(events.map((event) => event.seq)).toEqual(
      Array.from({ length: total - 2 }, (_, index) => index + 2),
    );
    expect(events.at(-1)?.type).toBe('run:end');
  });

  it('knows no run outside the folder, and cancels none', async () => {
    const source = journalRunSource({ dir });
    expect(await source.events('nope', -1)).toBeUndefined();
    expect(await source.events('..', -1)).toBeUndefined();
    expect(await source.state('run-done')).toBe('recorded');
    expect(await source.state('../run-done')).toBe('unknown');
    expect(await source.cancel('run-done', 'x')).toBe('not-live');
    expect(await source.cancel('nope', 'x')).toBe('unknown');
  });

  it('rejects for a damaged journal, so the server answers with an error, not a partial run', async () => {
    const path = journalPath('run-broken', dir);
    const text = await readFile(journalPath('run-done', dir), 'utf8');
    const lines = text.split('\n');
    lines[3] = '{not json';
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'run-broken'), { recursive: true });
    await writeFile(path, lines.join('\n').replaceAll('run-done', 'run-broken'));
    await expect(journalRunSource({ dir }).events('run-broken', -1)).rejects.toThrow(
      /events\.jsonl:4: the line is not JSON/,
    );
  });
});
