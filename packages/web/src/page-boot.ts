import type { RunEvent } from '@multi-context/events';

/** A finished run shown from its events alone: the one-file report (no network at all). */
export interface ReportRunBoot {
  view: 'run';
  runId: string;
  /** Every event of the run, in `seq` order. */
  events: RunEvent[];
}

/**
 * A run followed from a server: the page opens an `EventSource` on
 * `eventsUrl` (with `token=<token>` added to its query when a token is
 * given), which sends each event as an SSE message (`id: <seq>`,
 * `data: <event JSON>`), from the first one, then `event: end` after
 * `run:end`. With `cancelUrl`, a run in progress has a cancel button that
 * POSTs there with the header `x-mc-token: <token>`; 202 means accepted.
 */
export interface ServedRunBoot {
  view: 'run';
  runId: string;
  eventsUrl: string;
  cancelUrl?: string;
  token?: string;
}

/**
 * The list of runs: `runsUrl` answers JSON `{ runs: RunListEntry[] }` and is
 * polled every 2 s while the list is open; `runUrl` is the link of a run,
 * with `{runId}` where its id goes.
 */
export interface ListBoot {
  view: 'list';
  runsUrl: string;
  runUrl: string;
  token?: string;
}

/** What a page is told when it opens: which view, and where its data is. */
export type PageBoot = ReportRunBoot | ServedRunBoot | ListBoot;
