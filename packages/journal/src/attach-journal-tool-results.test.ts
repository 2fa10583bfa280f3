import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { defineWorkflow } from '@multi-context/workflow';
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test/helpers.js';
import { attachJournal } from './index.js';

const workflow = defineWorkflow({
  name: 'tools',
  phases: [{ name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'go' }] }],
});

const base = { runId: 'r', time: 1 };

/** Lets the group commit of the events so far happen (its write, and its sync if one is asked for). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('attachJournal and tool results', () => {
  it('syncs a tool result to disk in the turn after it, as it does a task end', async () => {
    const dir = await tempDir();
    const probe = await open(path.join(dir, 'probe'), 'w');
    await probe.close();
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    const datasync = vi.spyOn(prototype, 'datasync');
    try {
      const events$ = new Subject<RunEvent>();
      const journal = attachJournal({ runId: 'r', workflow, events$ }, { dir });
      events$.next({
        ...base,
        seq: 0,
        type: 'run:start',
        workflowName: 'tools',
        totalTasks: 1,
        phases: [{ name: 'p', executionMode: 'sequential', taskIds: ['t'] }],
      });
      await journal.flush();
      const before = datasync.mock.calls.length;
      events$.next({
        ...base,
        seq: 1,
        type: 'task:tool-call',
        taskId: 't',
        step: 1,
        calls: 1,
        toolCallId: 'a',
        tool: 'pay',
        arguments: {},
      });
      await settle();
      expect(datasync.mock.calls.length).toBe(before);
      events$.next({
        ...base,
        seq: 2,
        type: 'task:tool-result',
        taskId: 't',
        step: 1,
        toolCallId: 'a',
        tool: 'pay',
        result: 'paid',
        durationMs: 1,
      });
      await settle();
      expect(datasync.mock.calls.length).toBe(before + 1);
      events$.complete();
    } finally {
      datasync.mockRestore();
    }
  });
});
