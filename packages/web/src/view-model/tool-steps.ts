import type { RunEventOf } from '@multi-context/events';
import type { ClippedText, TaskView, ToolCallView } from './run-view.js';

/**
 * How many characters of a tool call's arguments, result or error the view
 * keeps: a tool may return megabytes, and neither the view model of a long run
 * nor the details panel should carry them. The original length is kept beside.
 */
export const TOOL_TEXT_LIMIT = 4000;

/** `text` cut to `limit` characters (never between the two halves of a surrogate pair). */
export function clipText(text: string, limit = TOOL_TEXT_LIMIT): ClippedText {
  if (text.length <= limit) return { text, length: text.length };
  let cut = limit;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  // A slice of a long string keeps the whole original alive (V8's sliced strings point into
  // their parent: 200 slices of 1 MB results held 200 MB). A JSON round trip makes a copy of its
  // own, keeps every code unit, and costs a few µs (splitting into characters cost 50 µs).
  return { text: JSON.parse(JSON.stringify(text.slice(0, cut))) as string, length: text.length };
}

/** The arguments of a call as JSON text, as the model wrote them (plain text when not JSON-able). */
function argumentsText(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A live source can hand over what JSON cannot carry (a cycle, a bigint); a journal cannot.
    return String(value);
  }
}

/** Adds the call of a `task:tool-call` to its task. */
export function toolCallStarted(task: TaskView, event: RunEventOf<'task:tool-call'>): void {
  const call: ToolCallView = {
    toolCallId: event.toolCallId,
    step: event.step,
    tool: event.tool,
    arguments: clipText(argumentsText(event.arguments)),
    status: 'running',
    start: event.time,
  };
  if (event.text !== undefined && event.text !== '') call.stepText = clipText(event.text);
  task.toolCalls.push(call);
}

/**
 * Ends the call a `task:tool-result` is for: the newest of its task with the
 * same step and id that has no result yet (a resume may have asked the model
 * for a step again, with the same ids). Only the calls of the result's step
 * are looked at, so it is O(calls of one step). A result for no known call
 * (a record that starts mid-task) is added as a call of its own.
 */
export function toolCallEnded(task: TaskView, event: RunEventOf<'task:tool-result'>): void {
  const calls = task.toolCalls;
  let call: ToolCallView | undefined;
  for (let index = calls.length - 1; index >= 0; index -= 1) {
    const candidate = calls[index]!;
    if (candidate.step < event.step) break;
    if (
      candidate.step === event.step &&
      candidate.toolCallId === event.toolCallId &&
      (candidate.status === 'running' || candidate.status === 'interrupted')
    ) {
      call = candidate;
      break;
    }
  }
  if (call === undefined) {
    call = {
      toolCallId: event.toolCallId,
      step: event.step,
      tool: event.tool,
      arguments: clipText(''),
      status: 'running',
      start: event.time - event.durationMs,
    };
    calls.push(call);
  }
  call.end = event.time;
  call.durationMs = event.durationMs;
  if (event.error === undefined) {
    call.status = 'ok';
    call.result = clipText(event.result ?? '');
  } else {
    call.status = 'error';
    call.error = { name: event.error.name, message: clipText(event.error.message) };
  }
}

/**
 * Marks the task's calls still running as `interrupted`: its task ended (a
 * cancel stops a call without a result) or a resume cut the session off.
 * Running calls are those of the last step, so it looks no further back.
 */
export function interruptToolCalls(task: TaskView): void {
  const calls = task.toolCalls;
  const lastStep = calls.at(-1)?.step;
  for (let index = calls.length - 1; index >= 0; index -= 1) {
    const call = calls[index]!;
    if (call.step !== lastStep) break;
    if (call.status === 'running') call.status = 'interrupted';
  }
}

/** The task's calls that are running now, oldest first (they are all of its last step). */
export function runningToolCalls(task: TaskView): ToolCallView[] {
  const calls = task.toolCalls;
  const running: ToolCallView[] = [];
  const lastStep = calls.at(-1)?.step;
  for (let index = calls.length - 1; index >= 0; index -= 1) {
    const call = calls[index]!;
    if (call.step !== lastStep) break;
    if (call.status === 'running') running.push(call);
  }
  return running.reverse();
}
