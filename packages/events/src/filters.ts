import { filter, type OperatorFunction } from 'rxjs';
import type { RunEvent, RunEventOf, RunEventType } from './run-event.js';

/**
 * Type guard: whether `event` is of one of `types`.
 *
 * @example
 * if (isEventType(event, 'task:end')) console.log(event.status);
 */
export function isEventType<T extends RunEventType>(
  event: RunEvent,
  ...types: T[]
): event is RunEventOf<T> {
  return types.includes(event.type as T);
}

/**
 * Keeps the events of the given types, narrowed to them.
 *
 * @example
 * run.events$.pipe(ofType('task:end')).subscribe((end) => console.log(end.taskId, end.status));
 */
export function ofType<T extends RunEventType>(
  ...types: T[]
): OperatorFunction<RunEvent, RunEventOf<T>> {
  const wanted = new Set<RunEventType>(types);
  return filter((event): event is RunEventOf<T> => wanted.has(event.type));
}

/** Events that belong to one task: its start, deltas, retries and end. */
export type TaskEvent = RunEventOf<'task:start' | 'task:delta' | 'task:retry' | 'task:end'>;

/**
 * Keeps the events of one task (`task:start`, `task:delta`, `task:retry`, `task:end`).
 *
 * @example
 * run.events$.pipe(forTask('market_research'), ofType('task:delta')).subscribe((d) => process.stdout.write(d.text));
 */
export function forTask(taskId: string): OperatorFunction<RunEvent, TaskEvent> {
  return filter(
    (event): event is TaskEvent =>
      (event.type === 'task:start' ||
        event.type === 'task:delta' ||
        event.type === 'task:retry' ||
        event.type === 'task:end') &&
      event.taskId === taskId,
  );
}

/**
 * Keeps the events of one phase: its `phase:start` and `phase:end`, and every
 * event of its tasks between them. Phases run one at a time, so everything a run
 * emits between a phase's start and end belongs to it, context events included.
 *
 * @example
 * run.events$.pipe(forPhase(0)).subscribe((event) => console.log(event.type));
 */
export function forPhase(phaseIndex: number): OperatorFunction<RunEvent, RunEvent> {
  return (source) =>
    source.pipe(
      filter(
        (() => {
          let inside = false;
          return (event: RunEvent) => {
            if (event.type === 'phase:start') inside = event.phaseIndex === phaseIndex;
            const keep = inside;
            if (event.type === 'phase:end' && event.phaseIndex === phaseIndex) inside = false;
            return keep;
          };
        })(),
      ),
    );
}

/** Keeps the events of one context (`context:message`, `context:trim`, `task:start`). */
export function forContext(
  contextName: string,
): OperatorFunction<RunEvent, RunEventOf<'context:message' | 'context:trim' | 'task:start'>> {
  return filter(
    (event): event is RunEventOf<'context:message' | 'context:trim' | 'task:start'> =>
      'contextName' in event && event.contextName === contextName,
  );
}
