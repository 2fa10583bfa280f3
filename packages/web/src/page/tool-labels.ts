import type { TaskView } from '../view-model/run-view.js';
import { runningToolCalls } from '../view-model/tool-steps.js';

/** For a bar: the tool a running task is waiting on ("⚙ search", "⚙ search +2"), if any. */
export function runningToolLabel(task: TaskView): string | undefined {
  if (task.toolCalls.length === 0) return undefined;
  const running = runningToolCalls(task);
  if (running.length === 0) return undefined;
  return `⚙ ${running[0]!.tool}${running.length > 1 ? ` +${running.length - 1}` : ''}`;
}

/** For a bar: how many tools a task called ("⚙ 3"), or '' for none. */
export function toolCountLabel(task: TaskView): string {
  return task.toolCalls.length === 0 ? '' : ` · ⚙ ${task.toolCalls.length}`;
}

/** For a tooltip: "3 tool calls (1 failed)", and what runs now; nothing for a task that called none. */
export function toolLines(task: TaskView): string[] {
  const calls = task.toolCalls;
  if (calls.length === 0) return [];
  let failed = 0;
  for (const call of calls) if (call.status === 'error') failed += 1;
  const lines = [
    `${calls.length} tool call${calls.length === 1 ? '' : 's'}${failed > 0 ? ` (${failed} failed)` : ''}`,
  ];
  const running = runningToolCalls(task);
  if (running.length > 0) lines.push(`calling ${running.map((call) => call.tool).join(', ')}`);
  return lines;
}
