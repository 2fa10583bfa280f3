import { open, stat } from 'node:fs/promises';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import {
  defaultJournalDir,
  findJournal,
  type JournalSummary,
  listJournals,
  readJournal,
  replayJournal,
} from '@multi-context/journal';
import { concat, filter, from } from 'rxjs';
import type { RunListEntry } from '../run-list-entry.js';
import { isRunId } from './run-id.js';
import type { RunSource } from './run-source.js';
import { RunTally } from './run-tally.js';

/** Options of {@link journalRunSource}. */
export interface JournalRunSourceOptions {
  /** The journal folder; `.multi-context/runs` under the working directory by default. */
  dir?: string;
  /**
   * A run without `run:end` whose last event is older than this is listed
   * `interrupted` (its process most likely died) instead of `running`; a
   * journal cannot tell the two apart. Default 10 minutes.
   */
  staleAfterMs?: number;
  /** How often a run in progress is looked at for new events, in milliseconds. Default 100. */
  pollIntervalMs?: number;
}

const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

/**
 * The runs of a journal folder (`@multi-context/journal`) as a
 * {@link RunSource}: the folder's run history for the list, each run's events
 * from its journal, and, for a run still being written (by this process or
 * another), each new event as its line is written. Nothing can be cancelled
 * through it: the runs belong to other processes, or ended.
 *
 * @example
 * const view = await serveRunView({ source: journalRunSource({ dir: '.multi-context/runs' }) });
 */
export function journalRunSource(options: JournalRunSourceOptions = {}): RunSource {
  const dir = options.dir ?? defaultJournalDir();
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const tokens = new TokenCache();
  const pathOf = (runId: string) => (isRunId(runId) ? findJournal(runId, { dir }) : undefined);

  return {
    async listRuns() {
      const { runs } = await listJournals({ dir });
      const now = Date.now();
      return Promise.all(
        runs.map(async (run) =>
          runListEntryOf(run, await tokens.of(run), now - run.lastEventAt > staleAfterMs),
        ),
      );
    },
    async events(runId, after) {
      const path = await pathOf(runId);
      if (path === undefined) return undefined;
      // Read (and checked) now, so a damaged journal is an error before anything is sent.
      const contents = await readJournal(path);
      const recorded = from(contents.events.filter((event) => event.seq > after));
      if (contents.ended) return recorded;
      const last = Math.max(after, contents.events.at(-1)?.seq ?? -1);
      const rest = replayJournal(path, { follow: true, pollIntervalMs }).pipe(
        filter((event) => event.seq > last),
      );
      return concat(recorded, rest);
    },
    async state(runId) {
      return (await pathOf(runId)) === undefined ? 'unknown' : 'recorded';
    },
    async cancel(runId) {
      return (await pathOf(runId)) === undefined ? 'unknown' : 'not-live';
    },
  };
}

/**
 * A journal's summary (`listJournals()`, or a listing of journals kept
 * elsewhere) as a run list entry: `stale`, a run without `run:end` is
 * `interrupted` rather than `running`.
 */
export function runListEntryOf(run: JournalSummary, tokens: number, stale: boolean): RunListEntry {
  const entry: RunListEntry = {
    runId: run.runId,
    workflowName: run.workflowName,
    status: run.status === 'incomplete' ? (stale ? 'interrupted' : 'running') : run.status,
    startedAt: run.startedAt,
    tasks: {
      total: run.totalTasks,
      succeeded: run.succeeded,
      failed: run.failed,
      skipped: run.skipped,
      cancelled: run.cancelled,
    },
    tokens,
    live: run.status === 'incomplete' && !stale,
  };
  if (run.durationMs !== undefined) entry.durationMs = run.durationMs;
  return entry;
}

/**
 * The tokens of each journal, which its summary does not hold: of a run that
 * ended, from its last line (the `run:end` and its result); of one that has
 * not, by going through its events. Kept per file size, so a run list asked
 * for again reads only the journals that grew.
 */
class TokenCache {
  readonly #known = new Map<string, { size: number; tokens: number }>();

  async of(run: JournalSummary): Promise<number> {
    try {
      const { size } = await stat(run.path);
      const known = this.#known.get(run.path);
      if (known?.size === size) return known.tokens;
      const tokens =
        run.status === 'incomplete' ? await tokensOfEvents(run.path) : await tokensOfEnd(run.path);
      this.#known.set(run.path, { size, tokens });
      return tokens;
    } catch {
      // A journal that changed or broke since it was listed: the next listing says more.
      return 0;
    }
  }
}

async function tokensOfEvents(path: string): Promise<number> {
  const contents = await readJournal(path);
  const tally = new RunTally(contents.header.runId, contents.header.workflow.name, 0);
  for (const event of contents.events) tally.add(event);
  return tally.entry(false).tokens;
}

/** The total tokens in the `run:end` that is the journal's last line. */
async function tokensOfEnd(path: string): Promise<number> {
  const event: RunEvent = runEventSchema.parse(JSON.parse(await lastLine(path)));
  return event.type === 'run:end' ? event.result.usage.totalTokens : 0;
}

const TAIL_CHUNK = 64 * 1024;

/** The last line of a file (without its newline), read backwards from its end. */
async function lastLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let end = size;
    const chunks: Buffer[] = [];
    let skippedNewline = false;
    while (end > 0) {
      const start = Math.max(0, end - TAIL_CHUNK);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      let upTo = chunk.length;
      if (!skippedNewline) {
        skippedNewline = true;
        if (chunk[upTo - 1] === 0x0a) upTo--;
      }
      const newline = upTo === 0 ? -1 : chunk.lastIndexOf(0x0a, upTo - 1);
      if (newline !== -1) {
        chunks.unshift(chunk.subarray(newline + 1, upTo));
        break;
      }
      chunks.unshift(chunk.subarray(0, upTo));
      end = start;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
