import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { expect } from 'vitest';

/** Where `run` journals in `dir` by default: `<dir>/.multi-context/runs/<runId>/events.jsonl`. */
export function defaultJournal(dir: string, runId: string): string {
  return join(dir, '.multi-context', 'runs', runId, 'events.jsonl');
}

/** The run id from the `run <id>` line that `run` writes on stderr. */
export function announcedRunId(stderr: string): string {
  const match = /^(?:run|resuming run) ([0-9a-f-]{36})(?:[ :]|$)/m.exec(stderr);
  expect(match, `no run id in:\n${stderr}`).not.toBeNull();
  return match![1]!;
}

/** The lines of a journal file: the header and the events, parsed. */
export function journalLines(path: string): {
  header: Record<string, unknown>;
  events: RunEvent[];
} {
  const [header, ...events] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
  return { header: header as Record<string, unknown>, events: events as RunEvent[] };
}

/** Polls until `check()` holds, at most `timeoutMs`; throws with `what` when it never does. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a file exists and holds at least its first whole line. */
export function hasHeader(path: string): boolean {
  return existsSync(path) && readFileSync(path, 'utf8').includes('\n');
}

/** A workflow of three phases whose contexts come back in later phases. */
export const PIPELINE = [
  'name: Journal pipeline',
  'phases:',
  '  - name: Research',
  '    execution_mode: parallel',
  '    tasks:',
  '      - { id: market, context_name: market, prompt: Research the market }',
  '      - { id: tech, context_name: tech, prompt: Research the technology }',
  '  - name: Draft',
  '    tasks:',
  '      - { id: summary, context_name: market, prompt: Summarise the market }',
  '      - { id: outline, context_name: writer, prompt: Outline the report }',
  '  - name: Review',
  '    execution_mode: parallel',
  '    tasks:',
  '      - { id: critique, context_name: market, prompt: Critique the summary }',
  '      - { id: polish, context_name: writer, prompt: Polish the outline }',
  'config:',
  '  retries: 0',
  '',
].join('\n');

/** The task ids of {@link PIPELINE}, in order. */
export const PIPELINE_TASKS = ['market', 'tech', 'summary', 'outline', 'critique', 'polish'];
