import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator, type WorkflowRun } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { defineProvider, type Provider, type ProviderRequest } from '@multi-context/provider';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { afterEach } from 'vitest';
import { type AttachJournalOptions, attachJournal, type JournalWriter } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temporary folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mc-journal-'));
  dirs.push(dir);
  return dir;
}

/** Three phases: parallel with a streamed answer, sequential sharing a context, and a failing task. */
export function pipeline(name = 'Journal pipeline'): Workflow {
  return defineWorkflow({
    name,
    phases: [
      {
        name: 'Research',
        executionMode: 'parallel',
        tasks: [
          { contextName: 'market', prompt: 'Trends?' },
          { contextName: 'tech', prompt: 'Approaches?' },
          { contextName: 'rivals', prompt: 'Who else? ✓ ünïcödé' },
        ],
      },
      {
        name: 'Writing',
        tasks: [
          { contextName: 'market', prompt: 'Summarise' },
          { contextName: 'market', prompt: 'Shorter' },
          { contextName: 'writer', prompt: 'fail please' },
        ],
      },
    ],
    config: { maxContextHistory: 3 },
  });
}

/**
 * Answers `<context>:<prompt> after <history length>` after a timer (so tasks
 * end in different turns of the event loop), with usage; fails prompts that
 * say "fail".
 */
export async function wordAnswer(
  request: Pick<ProviderRequest, 'prompt' | 'contextName' | 'history'>,
) {
  await new Promise((resolve) => setTimeout(resolve, 1 + (request.contextName.length % 3)));
  if (request.prompt.includes('fail')) throw new Error(`cannot ${request.prompt}`);
  const text = `${request.contextName}:${request.prompt} after ${request.history.length}`;
  return { text, usage: { inputTokens: request.prompt.length, outputTokens: text.length } };
}

/** A provider that gives {@link wordAnswer}. */
export const wordProvider: Provider = defineProvider({ id: 'words', complete: wordAnswer });

export function orchestrator(provider: Provider = wordProvider): MultiContextOrchestrator {
  return new MultiContextOrchestrator({ providers: { words: provider }, retry: { retries: 0 } });
}

/** A run with a journal and a live subscriber, both attached before it starts. */
export interface JournaledRun {
  run: WorkflowRun;
  journal: JournalWriter;
  live: RunEvent[];
  /** `journal.done`, observed from the start so a failure is never unhandled. */
  done: Promise<unknown>;
}

export function journaledRun(
  workflow: Workflow,
  options: AttachJournalOptions,
  runner: MultiContextOrchestrator = orchestrator(),
  runId?: string,
): JournaledRun {
  const run = runner.run(workflow, runId === undefined ? {} : { runId });
  const live: RunEvent[] = [];
  run.events$.subscribe((event) => live.push(event));
  const journal = attachJournal(run, options);
  const done = journal.done.then(
    () => undefined,
    (error: unknown) => error,
  );
  return { run, journal, live, done };
}

/** The lines of a journal file's text, without the final newline's empty rest. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
