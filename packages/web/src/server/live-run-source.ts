import type { RunEvent } from '@multi-context/events';
import { Observable } from 'rxjs';
import type { CancelOutcome, RunSource } from './run-source.js';
import { RunTally } from './run-tally.js';

/** A run of this process, as {@link liveRunSource} takes it. */
export interface LiveRun {
  runId: string;
  /** The workflow's name, listed until `run:start` says it. */
  workflowName: string;
  /**
   * The run's events, from its first one: subscribed to at once, so call
   * {@link liveRunSource} before the run starts (core starts a run on the
   * next tick), with whatever must be taken out of them already taken out.
   */
  events$: Observable<RunEvent>;
  /** Cancels the run; its `run:end` (status `cancelled`) follows. */
  cancel(reason: string): void;
}

/** A {@link RunSource} of one live run that can also be told its run is over. */
export interface LiveRunSource extends RunSource {
  /** Resolves once the run's stream completed (after `run:end`) or failed. */
  readonly ended: Promise<void>;
}

/**
 * The run of this process as a {@link RunSource}: its events are kept in
 * memory as they come (one array push each, the only cost to a run whose
 * page is not open), so a page that opens, reloads or reconnects mid-run gets
 * every event it missed from memory, then the new ones, with no gap and no
 * duplicate. The run can be cancelled until its `run:end`.
 *
 * @example
 * const run = orchestrator.run(workflow);
 * const view = await serveRunView({
 *   source: liveRunSource({ runId: run.runId, workflowName: workflow.name, events$: run.events$, cancel: (r) => run.cancel(r) }),
 * });
 */
export function liveRunSource(run: LiveRun): LiveRunSource {
  const events: RunEvent[] = [];
  const listeners = new Set<(event: RunEvent | undefined) => void>();
  const tally = new RunTally(run.runId, run.workflowName, Date.now());
  let done = false;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  const finish = () => {
    done = true;
    for (const listener of [...listeners]) listener(undefined);
    listeners.clear();
    markEnded();
  };
  const subscription = run.events$.subscribe({
    next(event) {
      events.push(event);
      tally.add(event);
      for (const listener of listeners) listener(event);
    },
    complete: finish,
    error: finish,
  });

  const knows = (runId: string) => runId === run.runId;
  return {
    ended,
    async listRuns() {
      return [tally.entry(!tally.ended)];
    },
    async events(runId, after) {
      if (!knows(runId)) return undefined;
      return new Observable<RunEvent>((subscriber) => {
        // Events are appended synchronously, so the copy and the listener meet with no gap.
        const first = firstAfter(events, after);
        for (let index = first; index < events.length; index++) {
          if (subscriber.closed) return;
          subscriber.next(events[index]!);
        }
        if (done) {
          subscriber.complete();
          return;
        }
        const listener = (event: RunEvent | undefined) => {
          if (event === undefined) subscriber.complete();
          else if (event.seq > after) subscriber.next(event);
        };
        listeners.add(listener);
        return () => listeners.delete(listener);
      });
    },
    async state(runId) {
      if (!knows(runId)) return 'unknown';
      return tally.ended ? 'recorded' : 'live';
    },
    async cancel(runId, reason): Promise<CancelOutcome> {
      if (!knows(runId)) return 'unknown';
      if (tally.ended || done) return 'not-live';
      run.cancel(reason);
      return 'accepted';
    },
    close() {
      subscription.unsubscribe();
      finish();
    },
  };
}

/** The index of the first event with `seq` greater than `after`: seqs grow by one, so no search is needed. */
function firstAfter(events: readonly RunEvent[], after: number): number {
  const base = events[0]?.seq ?? 0;
  return Math.min(events.length, Math.max(0, after + 1 - base));
}
