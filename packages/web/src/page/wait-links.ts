import type { RunView } from '../view-model/run-view.js';
import { waitedFor } from './waited-for.js';

/** An arrow from the task whose end let another start, to that task. */
export interface WaitLink {
  from: string;
  to: string;
}

/** Up to this many tasks, every wait is drawn; beyond, only the selected task's. */
const ALL_LINKS_UP_TO = 300;

/** Which task each task waited for: all of them in a small run, else those of `selected`. */
export function waitLinks(view: RunView, selected: string | undefined): WaitLink[] {
  const links: WaitLink[] = [];
  const tasks =
    view.tasks.length <= ALL_LINKS_UP_TO
      ? view.tasks
      : view.tasks.filter((task) => task.taskId === selected);
  for (const task of tasks) {
    const waited = waitedFor(view, task);
    if (waited !== undefined) links.push({ from: waited.task.taskId, to: task.taskId });
  }
  return links;
}
