import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { foldRunView } from '../view-model/fold-run-view.js';
import { emptyRunView } from '../view-model/run-view-builder.js';
import { layoutTimeline, taskAt } from './timeline-layout.js';

const base = { runId: 'r' };
const start = (seq: number, time: number, taskId: string, contextName: string): RunEvent => ({
  ...base,
  seq,
  time,
  type: 'task:start',
  taskId,
  phaseIndex: 0,
  contextName,
  profile: 'p',
  prompt: 'x',
});
const end = (seq: number, time: number, taskId: string): RunEvent => ({
  ...base,
  seq,
  time,
  type: 'task:end',
  taskId,
  status: 'succeeded',
  attempts: 1,
  durationMs: 1,
});

describe('layoutTimeline', () => {
  it('spans a finite second before any event, so a live page can draw its axis', () => {
    const layout = layoutTimeline(emptyRunView(), 5000);
    expect(layout).toMatchObject({ start: 5000, end: 6000, lanes: [], rows: [] });
    expect(layout.rowOf.size).toBe(0);
  });

  it('gives overlapping tasks of one context their own rows, and finds a task by time', () => {
    const view = foldRunView([
      {
        ...base,
        seq: 0,
        time: 0,
        type: 'run:start',
        workflowName: 'w',
        totalTasks: 3,
        phases: [{ name: 'p', executionMode: 'parallel', taskIds: ['a', 'b', 'c'] }],
      },
      start(1, 10, 'a', 'x'),
      start(2, 20, 'b', 'x'),
      end(3, 30, 'a'),
      start(4, 40, 'c', 'x'),
      end(5, 50, 'b'),
    ]);
    const layout = layoutTimeline(view, 100);
    expect(layout.lanes).toEqual([{ name: 'x', firstRow: 0, rowCount: 2 }]);
    expect(layout.rows.map((row) => row.tasks.map((t) => t.taskId))).toEqual([['a', 'c'], ['b']]);
    expect(layout.end).toBe(100); // c still runs
    expect(taskAt(layout.rows[0]!, 25, 0, 100)?.taskId).toBe('a');
    expect(taskAt(layout.rows[0]!, 35, 0, 100)).toBeUndefined();
    expect(taskAt(layout.rows[0]!, 90, 0, 100)?.taskId).toBe('c');
  });
});
