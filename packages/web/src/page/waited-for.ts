import type { RunView, TaskView } from '../view-model/run-view.js';

/** What a task waited for before it started: the task whose end let it go, and for how long. */
export interface WaitedFor {
  task: TaskView;
  waitedMs: number;
}

/**
 * The task a started task waited for: in a sequential phase, the task of
 * that phase that ended last before it started; otherwise the task of the
 * phase before that ended last (phases run one after another). Undefined
 * when it waited for nothing.
 */
export function waitedFor(view: RunView, task: TaskView): WaitedFor | undefined {
  const start = task.start;
  if (start === undefined) return undefined;
  const phase = view.phases[task.phaseIndex];
  const candidates: TaskView[] = [];
  const byId = new Map<string, TaskView>();
  for (const t of view.tasks) byId.set(t.taskId, t);
  if (phase?.executionMode === 'sequential') {
    for (const id of phase.taskIds) {
      const other = byId.get(id);
      if (other !== undefined && other !== task) candidates.push(other);
    }
  }
  const before = (t: TaskView) => t.end !== undefined && t.end <= start && t.start !== undefined;
  let best = latest(candidates.filter(before));
  if (best === undefined && task.phaseIndex > 0) {
    const previous = view.phases[task.phaseIndex - 1];
    const others = (previous?.taskIds ?? [])
      .map((id) => byId.get(id))
      .filter((t) => t !== undefined);
    best = latest(others.filter(before));
  }
  return best === undefined ? undefined : { task: best, waitedMs: Math.max(0, start - best.end!) };
}

function latest(tasks: TaskView[]): TaskView | undefined {
  let best: TaskView | undefined;
  for (const t of tasks) if (best === undefined || t.end! > best.end!) best = t;
  return best;
}
