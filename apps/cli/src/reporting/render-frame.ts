import type { Colors } from './colors.js';
import { formatDuration, oneLine, padEnd, plural, tail, textWidth, truncate } from './format.js';
import { stateGlyph } from './glyphs.js';
import type { PhaseView, RunView, TaskView } from './run-view.js';
import { summaryLines } from './summary.js';
import { taskWhere } from './task-label.js';

/** What a frame is drawn with besides the run's state. */
export interface FrameOptions {
  /** Epoch ms that elapsed times are measured to. */
  now: number;
  /** Terminal width; rows are cut to fit it. */
  columns: number;
  /** Terminal height; task rows beyond it are folded into a "… more" line. */
  rows?: number | undefined;
  /** The spinner frame of this redraw. */
  spinner: string;
  colors: Colors;
  /** A line to show under the phases, such as "cancelling". */
  notice?: string | undefined;
}

const maxNameWidth = 28;
const maxProfileWidth = 24;
const attemptsWidth = 10;
const elapsedWidth = 6;
// A snippet narrower than this says nothing; the row ends before it instead.
const minSnippetWidth = 8;

/**
 * Draws one frame of the live display: a header, each phase (the running one
 * with a row per task, ended ones with a row per task that did not succeed),
 * an optional notice and, once the run has ended, the summary.
 */
export function renderFrame(view: RunView, options: FrameOptions): string {
  const { colors } = options;
  const before: string[] = [headerLine(view, options)];
  const sections: { phase: string; rows: Row[] }[] = view.phases.map((phase) => ({
    phase: phaseLine(view, phase, options),
    rows: rowsOf(view, phase),
  }));
  const after: string[] = [];
  if (options.notice !== undefined) after.push(colors.yellow(`! ${options.notice}`));
  if (view.result !== undefined) after.push('', ...summaryLines(view.result, colors));

  const fixed = before.length + sections.length + after.length;
  const budget = options.rows === undefined ? Number.POSITIVE_INFINITY : options.rows - 1 - fixed;
  const shown = pickRows(
    sections.flatMap((section) => section.rows),
    budget,
  );

  const lines = [...before];
  for (const section of sections) {
    lines.push(section.phase);
    for (const row of section.rows)
      if (shown.has(row)) lines.push(taskLine(view, row.task, options));
  }
  const hidden = sections.reduce(
    (sum, s) => sum + s.rows.filter((row) => !shown.has(row)).length,
    0,
  );
  if (hidden > 0) lines.push(colors.dim(`    … ${plural(hidden, 'more task')}`));
  lines.push(...after);
  return lines.join('\n');
}

interface Row {
  task: TaskView;
  /** Lower shows first when rows must be dropped. */
  priority: number;
}

function rowsOf(view: RunView, phase: PhaseView): Row[] {
  const tasks = phase.taskIds.flatMap((id) => view.tasks.get(id) ?? []);
  if (phase.state === 'running') return tasks.map((task) => ({ task, priority: priorityOf(task) }));
  if (phase.state === 'failed') {
    return tasks.filter((task) => task.state === 'failed').map((task) => ({ task, priority: 1 }));
  }
  return [];
}

function priorityOf(task: TaskView): number {
  if (task.state === 'running' || task.state === 'retrying') return 0;
  if (task.state === 'failed') return 1;
  return task.state === 'pending' ? 3 : 2;
}

function pickRows(rows: Row[], budget: number): Set<Row> {
  if (rows.length <= budget) return new Set(rows);
  // One line goes to saying how many were left out.
  const room = Math.max(0, budget - 1);
  const ranked = [...rows].sort((a, b) => a.priority - b.priority);
  return new Set(ranked.slice(0, room));
}

function headerLine(view: RunView, { colors, now }: FrameOptions): string {
  if (view.status === 'waiting') return colors.dim('Starting…');
  const tasks = [...view.tasks.values()];
  const facts = [
    plural(view.phases.length, 'phase'),
    `${countDone(tasks)}/${view.totalTasks} tasks done`,
    ...notDone(tasks),
    formatDuration(view.elapsedMs(now)),
  ].join(' · ');
  return `${colors.bold(view.workflowName)}  ${colors.dim(facts)}`;
}

/** Tasks that ran to an end, succeeded or failed: a cancelled or skipped task was not done. */
function countDone(tasks: readonly TaskView[]): number {
  return tasks.filter((task) => task.state === 'succeeded' || task.state === 'failed').length;
}

/** `2 cancelled`, `1 skipped`: the ended tasks that were not done, when there are any. */
function notDone(tasks: readonly TaskView[]): string[] {
  return (['cancelled', 'skipped'] as const).flatMap((state) => {
    const count = tasks.filter((task) => task.state === state).length;
    return count === 0 ? [] : [`${count} ${state}`];
  });
}

function phaseLine(view: RunView, phase: PhaseView, options: FrameOptions): string {
  const { colors } = options;
  const tasks = phase.taskIds.flatMap((id) => view.tasks.get(id) ?? []);
  let facts: string;
  if (phase.state === 'pending') {
    facts = plural(tasks.length, 'task');
  } else if (phase.state === 'running') {
    facts = [
      `${countDone(tasks)}/${tasks.length} done`,
      ...notDone(tasks),
      formatDuration(options.now - (phase.startedAt ?? options.now)),
    ].join(' · ');
  } else {
    const counts = new Map<string, number>();
    for (const task of tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    const parts = [...counts].map(([state, count]) => `${count} ${state}`);
    const duration = formatDuration((phase.endedAt ?? 0) - (phase.startedAt ?? phase.endedAt ?? 0));
    facts = `${parts.join(', ')} · ${duration}`;
  }
  const label = `${colors.dim(`${phase.index + 1}/${view.phases.length}`)} ${colors.bold(phase.name)}`;
  const line = `${stateGlyph(phase.state, colors, options.spinner)} ${label}  ${colors.dim(`${phase.executionMode} · ${facts}`)}`;
  return phase.state === 'pending' ? colors.dim(line) : line;
}

function taskLine(view: RunView, task: TaskView, options: FrameOptions): string {
  const { colors, now } = options;
  const phase = view.phases[task.phaseIndex];
  const siblings = (phase?.taskIds ?? []).flatMap((id) => view.tasks.get(id) ?? []);
  const nameWidth = Math.min(maxNameWidth, Math.max(...siblings.map((t) => textWidth(t.taskId))));
  const profileWidth = Math.min(
    maxProfileWidth,
    Math.max(0, ...siblings.map((t) => textWidth(taskWhere(t)))),
  );

  const name = padEnd(truncate(task.taskId, nameWidth), nameWidth);
  const profile = padEnd(truncate(taskWhere(task), profileWidth), profileWidth);
  const attempts = padEnd(task.attempts > 0 ? plural(task.attempts, 'attempt') : '', attemptsWidth);
  const elapsedMs =
    task.durationMs ?? (task.startedAt === undefined ? undefined : now - task.startedAt);
  const elapsed = (elapsedMs === undefined ? '' : formatDuration(elapsedMs)).padStart(elapsedWidth);

  const prefixPlain = `  · ${name}  ${profile}  ${attempts}  ${elapsed}  `;
  const room = options.columns - 1 - textWidth(prefixPlain);
  const snippet = room >= minSnippetWidth ? snippetOf(task, room, options) : '';
  const glyph = stateGlyph(task.state, colors, options.spinner);
  const body = `${name}  ${colors.dim(profile)}  ${colors.dim(attempts)}  ${elapsed}`;
  if (snippet === '')
    return `  ${glyph} ${task.state === 'pending' ? colors.dim(name.trimEnd()) : body.trimEnd()}`;
  return `  ${glyph} ${task.state === 'pending' ? colors.dim(body) : body}  ${snippet}`;
}

function snippetOf(task: TaskView, width: number, { colors, now }: FrameOptions): string {
  switch (task.state) {
    case 'pending':
      return colors.dim('waiting');
    case 'running':
      return colors.dim(tail(oneLine(task.streamed), width));
    case 'retrying': {
      const wait = formatDuration(Math.max(0, (task.retryAt ?? now) - now));
      const text = `retry in ${wait}: ${oneLine(task.error?.message ?? 'failed')}`;
      return colors.yellow(truncate(text, width));
    }
    case 'succeeded':
      return colors.dim(truncate(oneLine(task.response ?? ''), width));
    case 'failed':
      return colors.red(truncate(oneLine(task.error?.message ?? 'failed'), width));
    case 'cancelled':
      return colors.yellow('cancelled');
    case 'skipped':
      return colors.dim('skipped');
  }
}
