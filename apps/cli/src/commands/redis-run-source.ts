import type { RunEvent } from '@multi-context/events';
import type { JournalSummary } from '@multi-context/journal';
import type { RunListEntry, RunSource } from '@multi-context/web';
import { concat, filter, from, type Observable } from 'rxjs';

type JournalRedis = typeof import('@multi-context/journal-redis');
type Web = typeof import('@multi-context/web');

/** A journal without `run:end` whose last event is older than this is listed `interrupted`. */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * The runs journaled in Redis (`run --redis`) as the web view's
 * {@link RunSource}, built here from `@multi-context/journal-redis`'s
 * functions so that the web package depends on no store: the run history for
 * the list, each run's events from its stream, and a run still being written
 * followed as it is (`XREAD BLOCK`). Nothing can be cancelled through it.
 */
export function redisRunSource(journalRedis: JournalRedis, web: Web, url: string): RunSource {
  const tokens = new Map<string, { lastEventAt: number; tokens: number }>();
  const knows = async (runId: string) =>
    (await journalRedis.listRedisJournalRunIds(url)).includes(runId);

  const tokensOf = async (run: JournalSummary): Promise<number> => {
    const known = tokens.get(run.runId);
    if (known?.lastEventAt === run.lastEventAt) return known.tokens;
    const contents = await journalRedis.readRedisJournal(url, run.runId);
    const end = contents.events.findLast((event) => event.type === 'run:end');
    let total = 0;
    if (contents.ended && end?.type === 'run:end') total = end.result.usage.totalTokens;
    else
      for (const event of contents.events)
        if (event.type === 'task:end') total += event.usage?.totalTokens ?? 0;
    tokens.set(run.runId, { lastEventAt: run.lastEventAt, tokens: total });
    return total;
  };

  return {
    async listRuns(): Promise<RunListEntry[]> {
      const { runs } = await journalRedis.listRedisJournals(url);
      const now = Date.now();
      return Promise.all(
        runs.map(async (run) =>
          web.runListEntryOf(run, await tokensOf(run), now - run.lastEventAt > STALE_AFTER_MS),
        ),
      );
    },
    async events(runId, after): Promise<Observable<RunEvent> | undefined> {
      if (!(await knows(runId))) return undefined;
      const contents = await journalRedis.readRedisJournal(url, runId);
      const recorded = from(contents.events.filter((event) => event.seq > after));
      if (contents.ended) return recorded;
      const last = Math.max(after, contents.events.at(-1)?.seq ?? -1);
      return concat(
        recorded,
        journalRedis
          .replayRedisJournal(url, runId, { follow: true })
          .pipe(filter((event) => event.seq > last)),
      );
    },
    async state(runId) {
      return (await knows(runId)) ? 'recorded' : 'unknown';
    },
    async cancel(runId) {
      return (await knows(runId)) ? 'not-live' : 'unknown';
    },
  };
}
