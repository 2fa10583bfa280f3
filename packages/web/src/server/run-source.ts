import type { RunEvent } from '@multi-context/events';
import type { Observable } from 'rxjs';
import type { RunListEntry } from '../run-list-entry.js';

/** What {@link RunSource.cancel} did. */
export type CancelOutcome =
  /** The run was told to cancel; its `run:end` follows. */
  | 'accepted'
  /** The run is known but cannot be cancelled from here: it ended, or it runs in another process. */
  | 'not-live'
  /** No such run. */
  | 'unknown';

/**
 * Where the run view finds runs: the run of this process, a journal folder,
 * a Redis journal, or several of them together ({@link combineRunSources}).
 * Everything it hands out is public run events, so a page cannot tell a live
 * run from a recorded one.
 */
export interface RunSource {
  /** Every run the source knows, newest first. */
  listRuns(): Promise<RunListEntry[]>;
  /**
   * Run `runId`'s events whose `seq` is greater than `after` (-1: all), in
   * order, and then, while the run goes on, each new one as it happens; the
   * stream completes after `run:end`. A run whose journal ends without a
   * `run:end` may never complete: unsubscribe to stop. Undefined for a run the
   * source does not know. Rejects when the run's record cannot be read.
   */
  events(runId: string, after: number): Promise<Observable<RunEvent> | undefined>;
  /** Whether `runId` is known, and whether it can be cancelled from here. */
  state(runId: string): Promise<'live' | 'recorded' | 'unknown'>;
  /** Asks a live run to cancel. */
  cancel(runId: string, reason: string): Promise<CancelOutcome>;
  /** Lets go of what the source holds (subscriptions, connections). */
  close?(): Promise<void> | void;
}

/**
 * Several sources as one: the list is every source's runs (a run two sources
 * know is listed once, as the first source says), newest first; a run's
 * events, state and cancel come from the first source that knows it.
 *
 * @example
 * const source = combineRunSources(liveRunSource(run), journalRunSource({ dir }));
 */
export function combineRunSources(...sources: RunSource[]): RunSource {
  const firstKnowing = async (runId: string): Promise<RunSource | undefined> => {
    for (const source of sources) if ((await source.state(runId)) !== 'unknown') return source;
    return undefined;
  };
  return {
    async listRuns() {
      const lists = await Promise.all(sources.map((source) => source.listRuns()));
      const seen = new Set<string>();
      const runs: RunListEntry[] = [];
      for (const list of lists) {
        for (const run of list) {
          if (seen.has(run.runId)) continue;
          seen.add(run.runId);
          runs.push(run);
        }
      }
      return runs.sort(newestFirst);
    },
    async events(runId, after) {
      return (await firstKnowing(runId))?.events(runId, after);
    },
    async state(runId) {
      for (const source of sources) {
        const state = await source.state(runId);
        if (state !== 'unknown') return state;
      }
      return 'unknown';
    },
    async cancel(runId, reason) {
      return (await (await firstKnowing(runId))?.cancel(runId, reason)) ?? 'unknown';
    },
    async close() {
      await Promise.all(sources.map((source) => source.close?.()));
    },
  };
}

/** Newest run first; the same start time sorts by id, so the order is stable. */
export function newestFirst(a: RunListEntry, b: RunListEntry): number {
  return b.startedAt - a.startedAt || a.runId.localeCompare(b.runId);
}
