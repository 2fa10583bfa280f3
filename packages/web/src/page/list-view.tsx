import { useEffect, useState } from 'preact/hooks';
import type { ListBoot } from '../page-boot.js';
import type { RunListEntry } from '../run-list-entry.js';
import { formatCount, formatDateTime, formatDuration } from './format.js';

/** How often the list asks for runs again, while it is open. */
const POLL_MS = 2000;

/** The journaled runs, newest first as the server lists them, each linking to its view. */
export function ListView({ boot }: { boot: ListBoot }) {
  const [runs, setRuns] = useState<RunListEntry[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const url = new URL(boot.runsUrl, location.href);
        if (boot.token !== undefined) url.searchParams.set('token', boot.token);
        const headers: Record<string, string> = {};
        if (boot.token !== undefined) headers['x-mc-token'] = boot.token;
        const response = await fetch(url, { headers });
        if (!response.ok)
          throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
        const body = (await response.json()) as { runs: RunListEntry[] };
        if (!stopped) {
          setRuns(body.runs);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(load, POLL_MS);
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [boot]);
  return (
    <div class="list-page">
      <header class="run-header">
        <div class="run-title">
          <h1>Runs</h1>
          {runs !== undefined && <span class="muted">{runs.length} in the journal</span>}
        </div>
      </header>
      {error !== undefined && (
        <p class="error-banner" role="alert">
          Could not load the runs: {error}
        </p>
      )}
      {runs === undefined ? (
        <p class="muted pad">Loading…</p>
      ) : runs.length === 0 ? (
        <p class="muted pad">No runs yet. Start one with `multi-context run workflow.yaml`.</p>
      ) : (
        <table class="runs" data-testid="runs">
          <thead>
            <tr>
              <th>workflow</th>
              <th>status</th>
              <th>started</th>
              <th>duration</th>
              <th class="num">succeeded</th>
              <th class="num">failed</th>
              <th class="num">skipped</th>
              <th class="num">tokens</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} class={run.live ? 'live-row' : undefined}>
                <td>
                  <a href={runLink(boot, run.runId)}>{run.workflowName}</a>
                  <div class="muted small">{run.runId}</div>
                </td>
                <td>
                  <span class={`badge status-${run.status}`}>{run.status}</span>
                  {run.live && <span class="badge live">● live</span>}
                </td>
                <td>{formatDateTime(run.startedAt)}</td>
                <td>{formatDuration(run.durationMs)}</td>
                <td class="num">
                  {formatCount(run.tasks.succeeded)}/{formatCount(run.tasks.total)}
                </td>
                <td class="num">{formatCount(run.tasks.failed)}</td>
                <td class="num">{formatCount(run.tasks.skipped)}</td>
                <td class="num">{formatCount(run.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * A run's link from the template. When this page itself needed its token in
 * the address (a server off loopback), the link carries it on.
 */
function runLink(boot: ListBoot, runId: string): string {
  const href = boot.runUrl.split('{runId}').join(encodeURIComponent(runId));
  const needsToken = new URLSearchParams(location.search).has('token');
  if (boot.token === undefined || !needsToken || /[?&]token=/.test(href)) return href;
  return `${href}${href.includes('?') ? '&' : '?'}token=${encodeURIComponent(boot.token)}`;
}
