import type { RunEvent } from '@multi-context/events';
import { from, Observable } from 'rxjs';
import { followJournal } from './follow-journal.js';
import { type JournalContents, readJournal } from './read-journal.js';

/** Options of {@link replayJournal}. */
export interface ReplayJournalOptions {
  /**
   * Keep tailing the file for events written after the replay started, and
   * complete at `run:end`. For a run whose process died, that never comes:
   * unsubscribe to stop. Default `false`: emit what the journal holds now and
   * complete.
   */
  follow?: boolean;
  /** How often a follow checks the file for new lines, in milliseconds. Default 100. */
  pollIntervalMs?: number;
}

/**
 * A recorded run as an `Observable<RunEvent>`: emits the journal's events in
 * order and completes, so any subscriber written for a live run's `events$`
 * works on a recorded one. Given a path, the journal is read (and checked)
 * when subscribed to; a {@link JournalReadError} arrives as the stream's error.
 *
 * With `follow`, the file is tailed: the events written so far, then each new
 * one as its line is complete, until `run:end` or until you unsubscribe. A
 * follow waits for a file that does not exist yet; a torn last line is
 * waited on, since it may still be being written. Given contents, a follow
 * reads their `path` from the start.
 *
 * @example
 * replayJournal(path).pipe(ofType('task:end')).subscribe((end) => console.log(end.taskId, end.status));
 *
 * @example
 * // Watch a run that is still going, from another process.
 * const subscription = replayJournal(path, { follow: true }).subscribe(printEvent);
 */
export function replayJournal(
  source: JournalContents | string,
  options: ReplayJournalOptions = {},
): Observable<RunEvent> {
  const path = typeof source === 'string' ? source : source.path;
  if (options.follow) return followJournal(path, options.pollIntervalMs ?? 100);
  if (typeof source !== 'string') return from(source.events);
  return new Observable<RunEvent>((subscriber) => {
    readJournal(source).then(
      (contents) => {
        for (const event of contents.events) {
          if (subscriber.closed) return;
          subscriber.next(event);
        }
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
  });
}
