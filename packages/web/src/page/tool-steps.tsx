import type { TaskView, ToolCallStatus } from '../view-model/run-view.js';
import { ClippedPre } from './clipped-text.js';
import { formatDuration } from './format.js';
import './tool-steps.css';

/** The badge class of each call status: the task badges' colours (ok green, error red). */
const BADGE: Record<ToolCallStatus, string> = {
  running: 'status-running',
  ok: 'status-succeeded',
  error: 'status-failed',
  interrupted: 'status-interrupted',
};

export interface ToolStepsProps {
  task: TaskView;
  /** Epoch ms of the run's start: call times are shown from it. */
  origin: number;
  /** Where a running call's clock stands. */
  now: number;
}

/**
 * A task's tool calls in the order the model asked for them, grouped by the
 * model step that asked (a step's calls ran in parallel): each with its
 * arguments, its result or error (failed calls marked), and how long it took.
 * Long texts are shown cut, with their length; every text is a text node.
 */
export function ToolSteps({ task, origin, now }: ToolStepsProps) {
  const calls = task.toolCalls;
  if (calls.length === 0) return null;
  const steps = new Set(calls.map((call) => call.step)).size;
  const failed = calls.filter((call) => call.status === 'error').length;
  return (
    <section data-testid="details-tools">
      <h3>
        Tool calls ({calls.length} in {steps} step{steps === 1 ? '' : 's'}
        {failed > 0 ? `, ${failed} failed` : ''})
      </h3>
      <ol class="tool-calls">
        {calls.map((call, index) => (
          <li
            key={index}
            class={`tool-call tool-${call.status}`}
            data-testid="details-tool-call"
            data-status={call.status}
          >
            {call.step !== calls[index - 1]?.step && call.stepText !== undefined && (
              <p class="note tool-step-text">
                Step {call.step}, the model said: {call.stepText.text}
                {call.stepText.length > call.stepText.text.length ? '…' : ''}
              </p>
            )}
            <div class="tool-call-head">
              <span class="tool-step">step {call.step}</span>
              <span class="tool-name" data-testid="tool-name">
                {call.tool}
              </span>
              <span class={`badge ${BADGE[call.status]}`}>{call.status}</span>
              <span class="tool-time">
                +{formatDuration(call.start - origin)} ·{' '}
                {call.status === 'running'
                  ? `running ${formatDuration(now - call.start)}`
                  : formatDuration(call.durationMs)}
              </span>
            </div>
            <div class="tool-label">arguments</div>
            <ClippedPre value={call.arguments} testId="tool-arguments" />
            {call.result !== undefined && (
              <>
                <div class="tool-label">result</div>
                <ClippedPre value={call.result} testId="tool-result" />
              </>
            )}
            {call.error !== undefined && (
              <>
                <div class="tool-label">error</div>
                <ClippedPre
                  value={{
                    text: `${call.error.name}: ${call.error.message.text}`,
                    length: call.error.name.length + 2 + call.error.message.length,
                  }}
                  class="error-text"
                  testId="tool-error"
                />
              </>
            )}
            {call.status === 'interrupted' && (
              <p class="note">
                No result: the call was stopped (a cancel, or a resume ran it again).
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
