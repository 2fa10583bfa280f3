import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { workflow } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

const wide = (count: number) =>
  workflow({
    name: 'wide',
    phases: [
      {
        name: 'all',
        executionMode: 'parallel',
        tasks: Array.from({ length: count }, (_, i) => ({ contextName: `c${i}`, prompt: `t${i}` })),
      },
    ],
  });

describe('a wide parallel phase', () => {
  it('starts every task in the same turn, whatever the providers do', async () => {
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = defineProvider({
      id: 'slow',
      complete: async () => {
        started++;
        await gate;
        return 'ok';
      },
    });
    const run = new MultiContextOrchestrator({ providers: { slow } }).run(wide(5000));
    // The run starts on the next turn; one turn later every task has been started.
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(5000);
    release();
    expect((await run.result).successfulTasks).toBe(5000);
  });

  it('handles instant answers between batches of starts, so they do not pile up', async () => {
    let outstanding = 0;
    let peak = 0;
    const instant = defineProvider({
      id: 'instant',
      complete: () => {
        outstanding++;
        peak = Math.max(peak, outstanding);
        return Promise.resolve('ok');
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { instant } });
    const run = orchestrator.run(wide(5000));
    run.on('task:end', () => {
      outstanding--;
    });
    expect((await run.result).successfulTasks).toBe(5000);
    expect(peak).toBeLessThanOrEqual(1024);
    expect(peak).toBeGreaterThan(100);
  });
});
