import type { RunEvent } from '@multi-context/events';
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { pipeline, tempDir } from '../test/helpers.js';
import { attachJournal, readJournal } from './index.js';

/** Every call of the real toJsonLines, as the number of events it was given, and turns between them. */
const calls = vi.hoisted(() => ({ log: [] as (number | 'turn')[] }));
vi.mock('./json-lines.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./json-lines.js')>();
  return {
    ...original,
    toJsonLines(events: readonly RunEvent[]) {
      calls.log.push(events.length);
      // Marks the next turn of the event loop: it shows between two calls only if the journal yielded.
      setImmediate(() => calls.log.push('turn'));
      return original.toJsonLines(events);
    },
  };
});

describe('attachJournal with a burst of events', () => {
  it('serialises a large burst in slices, letting the event loop turn between them', async () => {
    const dir = await tempDir();
    const workflow = pipeline();
    const events = new Subject<RunEvent>();
    const journal = attachJournal({ runId: 'burst', workflow, events$: events }, { dir });
    const emitted: RunEvent[] = [];
    const emit = (event: RunEvent) => {
      emitted.push(event);
      events.next(event);
    };
    emit({
      type: 'run:start',
      runId: 'burst',
      seq: 0,
      time: 1,
      workflowName: workflow.name,
      totalTasks: 1,
      phases: [{ name: 'p', executionMode: 'parallel', taskIds: ['t'] }],
    });
    // One synchronous burst, as a phase's answers come.
    for (let seq = 1; seq <= 3000; seq++) {
      emit({ type: 'task:delta', runId: 'burst', seq, time: 2, taskId: 't', text: `piece ${seq}` });
    }
    events.complete();
    await journal.done;
    const sizes = calls.log.filter((entry): entry is number => entry !== 'turn');
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(3001);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(512);
    // Between any two slices of the burst, the loop turned at least once.
    const serialized = calls.log.map((entry) => (entry === 'turn' ? 't' : 's')).join('');
    expect(serialized).not.toMatch(/ss/);
    expect((await readJournal(journal.path)).events).toEqual(emitted);
  });
});
