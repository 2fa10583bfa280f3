import type { RunEvent } from '@multi-context/events';
import { describe, expect, it, vi } from 'vitest';
import { type CliIo, type InterruptSignal, main, reportError } from '../src/index.js';
import { fixture, scratchDir } from './cli-process.js';

/** An io whose streams collect text and whose signals the test sends. */
function fakeIo(env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<(signal: InterruptSignal) => void>();
  const exit = vi.fn<(code: number) => void>();
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    // Where a run writes its journal: not the package.
    cwd: scratchDir,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exit,
  };
  return {
    io,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt: () => {
      for (const listener of [...listeners]) listener('SIGINT');
    },
    listenerCount: () => listeners.size,
  };
}

describe('main() in-process', () => {
  it('validates a workflow and resolves to the exit code', async () => {
    const fake = fakeIo();
    const code = await main(['validate', fixture('seed_readme_workflow.yaml')], fake.io);
    expect(code).toBe(0);
    expect(fake.stdout()).toContain('3 phases, 6 tasks, 6 contexts');
  });

  it('cancels on the first interrupt and exits at once on the second', async () => {
    const fake = fakeIo();
    const done = main(
      ['run', fixture('example_workflow.yaml'), '--json', '--mock-delay', '50'],
      fake.io,
    );
    await vi.waitFor(() => expect(fake.stdout()).toContain('"type":"task:start"'));

    fake.interrupt();
    expect(fake.exit).not.toHaveBeenCalled();
    expect(fake.stderr()).toContain('interrupted: cancelling the run');
    fake.interrupt();
    expect(fake.exit).toHaveBeenCalledWith(130);

    // The fake exit returns, so the cancelled run still winds down and says so.
    expect(await done).toBe(130);
    const last = JSON.parse(fake.stdout().trimEnd().split('\n').at(-1)!) as RunEvent;
    expect(last).toMatchObject({ type: 'run:end', status: 'cancelled' });
    expect(fake.listenerCount()).toBe(0);
  });
});

describe('reportError', () => {
  it('reports an unexpected error in one line, and exits 1', () => {
    const fake = fakeIo();
    expect(reportError(new Error('disk on fire'), fake.io)).toBe(1);
    expect(fake.stderr()).toBe('multi-context: disk on fire\n');
  });

  it('adds the stack trace only when MULTI_CONTEXT_DEBUG=1', () => {
    const fake = fakeIo({ MULTI_CONTEXT_DEBUG: '1' });
    reportError(new Error('disk on fire'), fake.io);
    expect(fake.stderr()).toMatch(/^multi-context: disk on fire\nError: disk on fire\n\s+at /);
  });
});
