import type { RunEvent } from '@multi-context/events';
import { replayJournal } from '@multi-context/journal';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  findRun,
  type JournalDirOptions,
  journalCommand,
  journalDirOf,
} from '../options/journal-options.js';
import { colorsFor } from '../reporting/colors.js';
import { formatEventLine } from '../reporting/event-line.js';
import { replayRedisRun } from './redis-journal.js';

/** The options of `multi-context events`. */
export interface EventsCommandOptions extends JournalDirOptions {
  json?: boolean;
  follow?: boolean;
  /** `--redis`: replay the run's journal kept in this Redis instead of the folder's. */
  redis?: string;
}

/** How often `--follow` looks for new lines in the journal. */
const FOLLOW_POLL_MS = 100;

/**
 * `multi-context events <runId>`: replays a run's journal, one line per
 * event: a readable line, or (`--json`) the event's JSON line exactly as the
 * journal holds it. `--follow` keeps tailing the journal of a run in progress
 * and ends at its `run:end` (Ctrl-C stops it earlier).
 */
export function eventsCommand(
  runId: string,
  options: EventsCommandOptions,
  io: CliIo,
): Promise<number> {
  return journalCommand(io, async () => {
    const events =
      options.redis === undefined
        ? replayJournal((await findRun(runId, journalDirOf(options, io), io)).path, {
            follow: options.follow === true,
            pollIntervalMs: FOLLOW_POLL_MS,
          })
        : await replayRedisRun(runId, options.redis, options.follow === true);
    const colors = colorsFor(io.stdout, io.env);
    const print =
      options.json === true
        ? (event: RunEvent) => io.stdout.write(`${JSON.stringify(event)}\n`)
        : (event: RunEvent) => io.stdout.write(`${formatEventLine(event, colors)}\n`);
    const interrupted = await new Promise<boolean>((resolve, reject) => {
      const subscription = events.subscribe({
        next: print,
        error: reject,
        complete: () => resolve(false),
      });
      // Ctrl-C ends a follow; what was printed stands.
      const stop = io.onInterrupt(() => {
        subscription.unsubscribe();
        resolve(true);
      });
      subscription.add(stop);
    });
    return interrupted ? ExitCode.interrupted : ExitCode.ok;
  });
}
