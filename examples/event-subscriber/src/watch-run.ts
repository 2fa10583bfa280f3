import type { WorkflowRun } from '@multi-context/core';
import { ofType } from '@multi-context/events';
import { bufferCount, map } from 'rxjs';

/** What the subscriber saw of a run. */
export interface RunDigest {
  phases: string[];
  ended: Record<string, string>;
  streamedCharacters: number;
  trims: number;
  log: string[];
}

/**
 * Subscribes to a run in the three ways a host may: RxJS operators from
 * @multi-context/events, a plain subscribe, and the eventemitter-style `on()`.
 */
export function watchRun(run: WorkflowRun): RunDigest {
  const digest: RunDigest = { phases: [], ended: {}, streamedCharacters: 0, trims: 0, log: [] };

  run.events$.pipe(ofType('phase:start')).subscribe((phase) => digest.phases.push(phase.phaseName));

  run.events$
    .pipe(
      ofType('task:delta'),
      map((delta) => delta.text.length),
      bufferCount(10),
    )
    .subscribe((lengths) => {
      digest.streamedCharacters += lengths.reduce((a, b) => a + b, 0);
    });

  run.on('task:end', (end) => {
    digest.ended[end.taskId] = end.status;
    digest.log.push(
      `${end.status === 'succeeded' ? 'done' : end.status}  ${end.taskId}  (${end.attempts} attempt${end.attempts === 1 ? '' : 's'})`,
    );
  });
  run.on('context:trim', () => {
    digest.trims++;
  });
  return digest;
}
