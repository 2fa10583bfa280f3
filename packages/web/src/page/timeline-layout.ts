import type { RunView, TaskView } from '../view-model/run-view.js';

/** One row of bars: tasks of one lane that never overlap, by start time. */
export interface TimelineRow {
  laneIndex: number;
  tasks: TaskView[];
}

/** A lane's rows, placed one under the other. */
export interface TimelineLane {
  name: string;
  /** Index of its first row in {@link TimelineLayout.rows}. */
  firstRow: number;
  rowCount: number;
}

/** Where every bar goes: lanes of rows, and the time span they cover. */
export interface TimelineLayout {
  lanes: TimelineLane[];
  rows: TimelineRow[];
  /** The row of each task with a bar, by task id. */
  rowOf: Map<string, number>;
  /** Epoch ms of the earliest start (the run's start). */
  start: number;
  /** Epoch ms of the latest end known (or `now` for what still runs). */
  end: number;
}

/** Lane of tasks that never started and whose context no event named yet. */
export const UNPLACED_LANE = '(not started)';

/** When a task's bar begins: its first start, or its end for a task that never started. */
export function barStart(task: TaskView): number | undefined {
  return task.firstStart ?? task.start ?? task.end;
}

/**
 * Lays the tasks out: one lane per context in the view's order, and in each
 * lane as many rows as tasks of it ran at once (first fit, by start time), so
 * bars never overlap. A task still running reaches `now`.
 */
export function layoutTimeline(view: RunView, now: number): TimelineLayout {
  const byLane = new Map<string, TaskView[]>();
  const names: string[] = view.lanes.map((lane) => lane.contextName);
  for (const name of names) byLane.set(name, []);
  let start = view.start ?? Number.POSITIVE_INFINITY;
  let end = view.end ?? view.lastTime ?? Number.NEGATIVE_INFINITY;
  for (const task of view.tasks) {
    const begin = barStart(task);
    if (begin === undefined) continue;
    const name = task.contextName ?? UNPLACED_LANE;
    let tasks = byLane.get(name);
    if (tasks === undefined) {
      tasks = [];
      byLane.set(name, tasks);
      names.push(name);
    }
    tasks.push(task);
    if (begin < start) start = begin;
    const finish = task.end ?? now;
    if (finish > end) end = finish;
  }
  // Nothing yet (a live page before its first event): one second from now.
  if (!Number.isFinite(start)) start = Number.isFinite(end) ? end : now;
  if (!Number.isFinite(end) || end <= start) end = start + 1000;
  const lanes: TimelineLane[] = [];
  const rows: TimelineRow[] = [];
  const rowOf = new Map<string, number>();
  names.forEach((name, laneIndex) => {
    const tasks = byLane.get(name)!;
    tasks.sort((a, b) => barStart(a)! - barStart(b)!);
    const firstRow = rows.length;
    const rowEnds: number[] = [];
    for (const task of tasks) {
      const begin = barStart(task)!;
      const finish = task.end ?? Number.POSITIVE_INFINITY;
      let row = rowEnds.findIndex((rowEnd) => rowEnd <= begin);
      if (row === -1) {
        row = rowEnds.length;
        rowEnds.push(finish);
        rows.push({ laneIndex, tasks: [] });
      } else {
        rowEnds[row] = finish;
      }
      rows[firstRow + row]!.tasks.push(task);
      rowOf.set(task.taskId, firstRow + row);
    }
    if (rowEnds.length === 0) rows.push({ laneIndex, tasks: [] });
    lanes.push({ name, firstRow, rowCount: rows.length - firstRow });
  });
  return { lanes, rows, rowOf, start, end };
}

/** The task of `row` whose bar covers time `t`, give or take `slack` ms (bars are sorted by start). */
export function taskAt(
  row: TimelineRow,
  t: number,
  slack: number,
  now: number,
): TaskView | undefined {
  const tasks = row.tasks;
  let low = 0;
  let high = tasks.length;
  // The last task that starts at or before t + slack.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (barStart(tasks[mid]!)! <= t + slack) low = mid + 1;
    else high = mid;
  }
  const candidate = tasks[low - 1];
  if (candidate === undefined) return undefined;
  const finish = candidate.end ?? now;
  return finish + slack >= t ? candidate : undefined;
}
