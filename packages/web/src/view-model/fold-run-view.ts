import type { RunEvent } from '@multi-context/events';
import type { RunView } from './run-view.js';
import { RunViewBuilder } from './run-view-builder.js';

/**
 * The view of a run from its events, in one pass: a journal's events, or
 * those of a run so far. Use {@link RunViewBuilder} to keep folding as more
 * arrive, or to ask for a task's history as sent.
 *
 * @example
 * const view = foldRunView((await readJournal(path)).events);
 * console.log(view.lanes.map((lane) => lane.contextName), view.totals.tasks);
 */
export function foldRunView(events: Iterable<RunEvent>): RunView {
  const builder = new RunViewBuilder();
  for (const event of events) builder.add(event);
  return builder.view;
}
