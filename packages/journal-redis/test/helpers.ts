import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator, type WorkflowRun } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import type { JournalableRun } from '@multi-context/journal';
import { defineProvider, type ProviderRequest } from '@multi-context/provider';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { Subject } from 'rxjs';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temporary folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mc-journal-redis-'));
  dirs.push(dir);
  return dir;
}

/** A prefix of keys no other test uses, so tests share a Redis without meeting. */
let prefixes = 0;
export function freshPrefix(): string {
  return `test-${process.pid}-${++prefixes}`;
}

/** Two phases: parallel research (one streamed reply), then a sequential chain on one context, one task failing. */
export function pipeline(name = 'Redis journal pipeline'): Workflow {
  return defineWorkflow({
    name,
    phases: [
      {
        name: 'Research',
        executionMode: 'parallel',
        tasks: [
          { contextName: 'market', prompt: 'Trends?' },
          { contextName: 'tech', prompt: 'Approaches? ✓ ünïcödé' },
        ],
      },
      {
        name: 'Writing',
        tasks: [
          { contextName: 'market', prompt: 'Summarise' },
          { contextName: 'writer', prompt: 'fail please' },
        ],
      },
    ],
  });
}

/** `count` sequential tasks on one context: a run long enough to break Redis in the middle of. */
export function longRun(count: number): Workflow {
  return defineWorkflow({
    name: 'Long run',
    phases: [
      {
        name: 'Steps',
        tasks: Array.from({ length: count }, (_, index) => ({
          id: `step${index + 1}`,
          contextName: 'notes',
          prompt: `Step ${index + 1}`,
        })),
      },
    ],
  });
}

/** An orchestrator whose provider answers after `delayMs`, fails prompts that say "fail", and records each call's prompt. */
export function recordingOrchestrator(delayMs = 2): {
  orchestrator: MultiContextOrchestrator;
  calls: string[];
} {
  const calls: string[] = [];
  const provider = defineProvider({
    id: 'words',
    complete: async (request: Pick<ProviderRequest, 'prompt' | 'contextName' | 'history'>) => {
      calls.push(request.prompt);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (request.prompt.includes('fail')) throw new Error(`cannot ${request.prompt}`);
      return `${request.contextName}:${request.prompt} after ${request.history.length}`;
    },
  });
  const orchestrator = new MultiContextOrchestrator({
    providers: { words: provider },
    retry: { retries: 0 },
  });
  return { orchestrator, calls };
}

/** A run and every event it emitted, collected from before it started. */
export function watched(run: WorkflowRun): { run: WorkflowRun; live: RunEvent[] } {
  const live: RunEvent[] = [];
  run.events$.subscribe((event) => live.push(event));
  return { run, live };
}

/** A stand-in run that a test feeds events by hand. */
export function handFed(
  runId: string,
  workflow: Workflow,
): JournalableRun & { events$: Subject<RunEvent> } {
  return { runId, workflow, events$: new Subject<RunEvent>() };
}

/** `promise`'s rejection, or a failure when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Polls until `check()` holds, at most `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
