import type { EventMessage } from '@multi-context/events';
import type { RunView, TaskView } from '../view-model/run-view.js';
import { clipText } from '../view-model/tool-steps.js';
import { ClippedPre } from './clipped-text.js';
import {
  estimateTokens,
  formatClock,
  formatCost,
  formatCount,
  formatDuration,
  formatUsageParts,
} from './format.js';
import { STATUS_COLORS } from './status-colors.js';
import { ToolSteps } from './tool-steps.js';
import { waitedFor } from './waited-for.js';

export interface TaskDetailsProps {
  view: RunView;
  task: TaskView;
  /** Its context's history as the task sent it (undefined: it never started). */
  history: EventMessage[] | undefined;
  now: number;
  onClose(): void;
  onSelect(taskId: string): void;
}

/**
 * Everything about one task, as text: the prompt as rendered, the context's
 * history exactly as sent, its tool calls, the response (or what streamed so
 * far), usage, attempts with their errors, and timings. Long messages are
 * shown cut (a tool result can be megabytes), with their length. Every
 * string from a model, a prompt or a file is a text node: nothing in it is
 * ever read as HTML.
 */
export function TaskDetails({ view, task, history, now, onClose, onSelect }: TaskDetailsProps) {
  const origin = view.start ?? task.start ?? 0;
  const waited = waitedFor(view, task);
  const phase = view.phases[task.phaseIndex];
  const trims = view.lanes.find((lane) => lane.contextName === task.contextName)?.trims ?? [];
  const trimsBefore = trims.filter((trim) => task.start !== undefined && trim.time <= task.start);
  const summaries = new Map(
    trims.flatMap((trim) =>
      trim.summary === undefined ? [] : [[trim.summary.content, trim.summary.covers] as const],
    ),
  );
  return (
    <aside class="details" aria-label={`Task ${task.taskId}`} data-testid="details">
      <header>
        <h2>{task.taskId}</h2>
        <span
          class="badge"
          style={{
            background: STATUS_COLORS[task.status],
            color: task.status === 'skipped' || task.status === 'pending' ? '#1f2937' : '#fff',
          }}
        >
          {task.status}
        </span>
        <button type="button" class="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <dl class="facts">
        <dt>context</dt>
        <dd>{task.contextName ?? '–'}</dd>
        <dt>phase</dt>
        <dd>
          {phase?.name ?? task.phaseIndex} ({phase?.executionMode})
        </dd>
        <dt>profile</dt>
        <dd>{task.profile ?? '–'}</dd>
        <dt>started</dt>
        <dd>
          {task.start === undefined
            ? 'never'
            : `+${formatDuration(task.start - origin)} (${formatClock(task.start)})`}
        </dd>
        <dt>ended</dt>
        <dd>
          {task.end === undefined
            ? '–'
            : `+${formatDuration(task.end - origin)} (${formatClock(task.end)})`}
        </dd>
        <dt>duration</dt>
        <dd>
          {formatDuration(
            task.durationMs ?? (task.start !== undefined ? now - task.start : undefined),
          )}
        </dd>
        {waited !== undefined && (
          <>
            <dt>waited for</dt>
            <dd>
              <button type="button" class="link" onClick={() => onSelect(waited.task.taskId)}>
                {waited.task.taskId}
              </button>{' '}
              in {waited.task.contextName} ({formatDuration(waited.waitedMs)} after it ended)
            </dd>
          </>
        )}
        {task.usage !== undefined && (
          <>
            <dt>usage</dt>
            <dd data-testid="details-usage">
              {formatUsageParts(task.usage)} · {formatCount(task.usage.totalTokens)} total
              {task.usage.cost !== undefined
                ? ` · cost ${formatCost(task.usage.cost, task.usage.currency)}`
                : ''}
            </dd>
          </>
        )}
        {task.worker !== undefined && (
          <>
            <dt>worker</dt>
            <dd>{task.worker}</dd>
          </>
        )}
      </dl>
      {task.error !== undefined && (
        <section>
          <h3>Error</h3>
          <pre class="text error-text" data-testid="details-error">
            {task.error.name}: {task.error.message}
          </pre>
        </section>
      )}
      <section>
        <h3>Attempts ({task.attempts.length})</h3>
        <table class="attempts">
          <thead>
            <tr>
              <th>#</th>
              <th>start</th>
              <th>took</th>
              <th>waited</th>
              <th>outcome</th>
            </tr>
          </thead>
          <tbody>
            {task.attempts.map((attempt, index) => (
              <tr key={index}>
                <td>{attempt.attempt}</td>
                <td>+{formatDuration(attempt.start - origin)}</td>
                <td>{formatDuration((attempt.end ?? now) - attempt.start)}</td>
                <td>{attempt.delayMs > 0 ? formatDuration(attempt.delayMs) : '–'}</td>
                <td class="text">
                  {attempt.interrupted
                    ? 'interrupted (ran again after the resume)'
                    : attempt.error !== undefined
                      ? `${attempt.error.name}: ${attempt.error.message}`
                      : attempt.end === undefined
                        ? 'running'
                        : task.status}
                  {attempt.worker !== undefined ? ` · worker ${attempt.worker}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>Prompt</h3>
        <pre class="text" data-testid="details-prompt">
          {task.prompt ?? '(never sent)'}
        </pre>
      </section>
      <section>
        <h3>
          History as sent
          {history !== undefined
            ? ` (${history.length} message${history.length === 1 ? '' : 's'})`
            : ''}
        </h3>
        {trimsBefore.length > 0 && (
          <p class="note">
            The context was trimmed {trimsBefore.length}× before:{' '}
            {trimsBefore
              .map((trim) =>
                trim.summary
                  ? `${trim.removed} condensed into a summary`
                  : `${trim.removed} dropped`,
              )
              .join(', ')}
            .
          </p>
        )}
        {history === undefined ? (
          <p class="note">The task never started.</p>
        ) : history.length === 0 ? (
          <p class="note">Nothing: the context was empty.</p>
        ) : (
          <ol class="messages" data-testid="details-history">
            {history.map((message, index) => (
              <li key={index} class={`message role-${message.role}`}>
                <span class="role">{message.role}</span>
                {message.role === 'system' && summaries.has(message.content) && (
                  <span class="role-note">
                    {' '}
                    · the summary of {summaries.get(message.content)} earlier message(s)
                  </span>
                )}
                {message.role === 'tool' && message.toolName !== undefined && (
                  <span class="role-note">
                    {' '}
                    · {message.toolName}
                    {message.isError ? ' (failed)' : ''}
                  </span>
                )}
                <ClippedPre value={clipText(message.content)} />
              </li>
            ))}
          </ol>
        )}
        <p class="note">
          The context's own system message and the profile's are settings, not events: not shown.
        </p>
      </section>
      <ToolSteps task={task} origin={origin} now={now} />
      <section>
        <h3>
          {task.status === 'running'
            ? `Streaming… (~${estimateTokens(task.streamedText)} tokens)`
            : 'Response'}
        </h3>
        <pre class="text" data-testid="details-response">
          {task.status === 'running' ? task.streamedText : (task.response ?? '(none)')}
        </pre>
        {task.json !== undefined && (
          <>
            <h3>Structured answer</h3>
            <pre class="text">{JSON.stringify(task.json, null, 2)}</pre>
          </>
        )}
      </section>
    </aside>
  );
}
