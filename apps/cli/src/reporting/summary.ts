import type { TaskResult, TaskStatus, WorkflowResult } from '@multi-context/events';
import type { Colors } from './colors.js';
import { formatDuration, formatUsage, plural, statusReason, wrapText } from './format.js';
import { stateGlyph } from './glyphs.js';
import { taskLabel } from './task-label.js';

/** How many tasks of a result ended with each status. */
export function countStatuses(result: WorkflowResult): Record<TaskStatus, number> {
  const counts: Record<TaskStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const phase of result.phases) for (const task of phase.results) counts[task.status]++;
  return counts;
}

/**
 * The closing summary of a run, the same on a terminal and in a log:
 *
 * ```
 * ✔ Run succeeded in 2.3s
 *   Tasks   9 succeeded · 0 failed · 0 skipped · 0 cancelled
 *   Tokens  1,234 (812 in, 422 out)
 * ```
 */
export function summaryLines(result: WorkflowResult, colors: Colors): string[] {
  const counts = countStatuses(result);
  const headline = `${stateGlyph(result.status, colors)} ${colors.bold(`Run ${result.status}`)} in ${formatDuration(result.durationMs)}`;
  const tasks = [
    colorIf(counts.succeeded, `${counts.succeeded} succeeded`, colors.green),
    colorIf(counts.failed, `${counts.failed} failed`, colors.red),
    colorIf(counts.skipped, `${counts.skipped} skipped`, colors.yellow),
    colorIf(counts.cancelled, `${counts.cancelled} cancelled`, colors.yellow),
  ].join(colors.dim(' · '));
  const lines = [
    headline,
    `  ${colors.dim('Tasks ')}  ${tasks}`,
    `  ${colors.dim('Tokens')}  ${formatUsage(result.usage)}`,
  ];
  if (result.reason?.kind === 'budget')
    lines.push(`  ${colors.dim('Budget')}  ${colors.yellow(result.reason.message)}`);
  return lines;
}

function colorIf(count: number, text: string, color: (text: string) => string): string {
  return count > 0 ? color(text) : text;
}

/**
 * Every task's outcome, phase by phase: the full response of each task that
 * succeeded (indented, line breaks kept, and wrapped at spaces to `width`
 * when given: a terminal's) and one line for each that did not.
 * A phase none of whose tasks started is one line; a run in which no task
 * started has no lines at all.
 */
export function responseLines(
  result: WorkflowResult,
  colors: Colors,
  width?: number | undefined,
): string[] {
  if (!result.phases.some((phase) => phase.results.some(started))) return [];
  const lines: string[] = [colors.bold('Responses'), ''];
  result.phases.forEach((phase, index) => {
    const title = colors.bold(`[phase ${index + 1}/${result.phases.length}] ${phase.name}`);
    if (!phase.results.some(started)) {
      lines.push(
        `${title} ${colors.dim(`(${plural(phase.results.length, 'task')} ${phase.status})`)}`,
        '',
      );
      return;
    }
    lines.push(title);
    for (const task of phase.results) {
      const head = `  ${stateGlyph(task.status, colors)} ${taskLabel(task, colors)}`;
      if (task.status !== 'succeeded') {
        lines.push(`${head}${colors.dim(`: ${taskOutcome(task)}`)}`);
        continue;
      }
      lines.push(head);
      for (const line of (task.response ?? '').split(/\r?\n/)) {
        if (line === '') lines.push('');
        else if (width === undefined) lines.push(`    ${line}`);
        else for (const part of wrapText(line, width - 4)) lines.push(`    ${part}`);
      }
      lines.push('');
    }
    if (lines.at(-1) !== '') lines.push('');
  });
  return lines;
}

/** Why a task did not succeed, in a few words. */
export function taskOutcome(task: Pick<TaskResult, 'status' | 'attempts' | 'error'>): string {
  if (task.status === 'cancelled') {
    return task.attempts === 0 ? 'cancelled before it started' : 'cancelled';
  }
  return statusReason(task.status, task.error?.message);
}

/** Whether a task was ever sent to a provider. */
function started(task: TaskResult): boolean {
  return task.attempts > 0;
}
