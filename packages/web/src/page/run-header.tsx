import { useState } from 'preact/hooks';
import type { RunView, TaskViewStatus } from '../view-model/run-view.js';
import { formatCost, formatCount, formatDuration, formatUsageParts } from './format.js';
import { STATUS_COLORS } from './status-colors.js';
import type { Connection } from './use-run-events.js';

export interface RunHeaderProps {
  view: RunView;
  runId: string;
  connection: Connection;
  live: boolean;
  cancelUrl: string | undefined;
  token: string | undefined;
}

const SHOWN: TaskViewStatus[] = [
  'succeeded',
  'failed',
  'running',
  'pending',
  'cancelled',
  'skipped',
];

/** The run's name, status and totals; for a live run, its connection and a cancel button. */
export function RunHeader({ view, runId, connection, live, cancelUrl, token }: RunHeaderProps) {
  const { totals } = view;
  const usage = totals.usage;
  return (
    <header class="run-header">
      <div class="run-title">
        <h1>{view.workflowName ?? 'Run'}</h1>
        <span class={`badge status-${view.status}`}>{view.status}</span>
        {view.result?.reason?.kind === 'budget' && (
          <span class="badge warn" data-testid="budget-stop" title={view.result.reason.message}>
            stopped by its budget
          </span>
        )}
        {live && <span class="badge live">● live</span>}
        {connection === 'reconnecting' && <span class="badge warn">reconnecting…</span>}
        {connection === 'failed' && (
          <span class="badge warn" role="alert">
            disconnected: the server refused or closed the event stream
          </span>
        )}
        <code class="run-id">{runId}</code>
        {live && cancelUrl !== undefined && view.status === 'running' && (
          <CancelButton url={cancelUrl} token={token} />
        )}
      </div>
      <dl class="totals">
        {SHOWN.filter(
          (status) => totals.tasks[status] > 0 || status === 'succeeded' || status === 'failed',
        ).map((status) => (
          <div class="total" key={status}>
            <dt>
              <span class="swatch" style={{ background: STATUS_COLORS[status] }} />
              {status}
            </dt>
            <dd data-testid={`total-${status}`}>{formatCount(totals.tasks[status])}</dd>
          </div>
        ))}
        <div class="total">
          <dt>tokens</dt>
          <dd data-testid="total-tokens" title={formatUsageParts(usage, ', ')}>
            {formatCount(usage.totalTokens)}
          </dd>
        </div>
        {usage.cacheReadTokens !== undefined && (
          <div class="total">
            <dt>cache read</dt>
            <dd
              data-testid="total-cache-read"
              title="Input tokens read from the providers' prompt caches, of the tokens"
            >
              {formatCount(usage.cacheReadTokens)}
            </dd>
          </div>
        )}
        {usage.cost !== undefined && (
          <div class="total">
            <dt>cost</dt>
            <dd data-testid="total-cost">{formatCost(usage.cost, usage.currency)}</dd>
          </div>
        )}
        <div class="total">
          <dt>duration</dt>
          <dd data-testid="total-duration">{formatDuration(totals.durationMs)}</dd>
        </div>
        {view.resumes.length > 0 && (
          <div class="total">
            <dt>resumed</dt>
            <dd>{view.resumes.length}×</dd>
          </div>
        )}
      </dl>
    </header>
  );
}

function CancelButton({ url, token }: { url: string; token: string | undefined }) {
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false });
  const cancel = async () => {
    setState({ busy: true });
    try {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers['x-mc-token'] = token;
      const response = await fetch(url, { method: 'POST', headers });
      if (response.status === 202) setState({ busy: true, message: 'Cancelling…' });
      else
        setState({
          busy: false,
          message: `Cancel failed (${response.status}): ${(await response.text()).slice(0, 300)}`,
        });
    } catch (error) {
      setState({
        busy: false,
        message: `Cancel failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };
  return (
    <span class="cancel">
      <button type="button" class="danger" disabled={state.busy} onClick={cancel}>
        Cancel run
      </button>
      {state.message !== undefined && (
        <span class="cancel-message" role="status">
          {state.message}
        </span>
      )}
    </span>
  );
}
