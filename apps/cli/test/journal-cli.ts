import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { afterAll, beforeAll, expect } from 'vitest';
import { type CliOutcome, runCli, startCli } from './cli-process.js';
import { type Workspace, workspace } from './workspace.js';

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

/** Starts `run <file> --json` slowly in `cwd`, and sends `signal` once `when` sees a line it likes. */
export async function interruptedRun(
  cwd: string,
  signal: NodeJS.Signals,
  when: (event: RunEvent) => boolean,
  args: string[] = [],
  file = 'pipeline.yaml',
): Promise<{ runId: string; outcome: CliOutcome }> {
  const run = startCli(['run', file, '--json', '--mock-delay', '60', ...args], { cwd });
  let runId: string | undefined;
  let sent = false;
  run.onLine((line) => {
    const event = JSON.parse(line) as RunEvent;
    runId ??= event.runId;
    if (sent || !when(event)) return;
    sent = true;
    // A moment later, so the journal's write of that turn has happened.
    setTimeout(() => run.child.kill(signal), 50);
  });
  const outcome = await within(15_000, run.outcome, 'the interrupted run');
  expect(sent).toBe(true);
  return { runId: runId!, outcome };
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    }),
  ]);
}

/** Two tasks whose prompts take an input. */
const INPUTS_WORKFLOW = [
  'name: Inputs pipeline',
  'inputs:',
  '  topic: { type: string }',
  'phases:',
  '  - name: Write',
  '    tasks:',
  '      - { id: first, context_name: notes, prompt: "First about {{ inputs.topic }}" }',
  '      - { id: second, context_name: notes, prompt: "Second about {{ inputs.topic }}" }',
  'config:',
  '  retries: 0',
  '',
].join('\n');

/**
 * A scratch folder holding `pipeline.yaml` and `inputs.yaml`, made before the
 * tests of the calling file and removed after them, and the CLI run in it.
 */
export function useJournalWorkspace(): {
  readonly dir: string;
  cli(args: string[]): Promise<CliOutcome>;
} {
  let space: Workspace | undefined;
  beforeAll(() => {
    space = workspace({ 'pipeline.yaml': PIPELINE, 'inputs.yaml': INPUTS_WORKFLOW });
  });
  afterAll(() => space?.remove());
  return {
    get dir() {
      return space!.dir;
    },
    cli: (args) => runCli(args, { cwd: space!.dir }),
  };
}
