import type { RunView, TaskView, TrimView } from '../view-model/run-view.js';
import { estimateTokens, formatCount, formatDuration } from './format.js';
import { GUTTER, ROW_HEIGHT, type RowGeometry, type Viewport } from './timeline-draw.js';
import { type TimelineLayout, taskAt } from './timeline-layout.js';
import { toolLines } from './tool-labels.js';

/** What is under the pointer: a task's bar, or a trim's mark. */
export type TimelineHit = { kind: 'task'; task: TaskView } | { kind: 'trim'; trim: TrimView };

/**
 * What is under the point (CSS pixels in the canvas), if anything: a trim's
 * mark when `preferTrims` (hovering) and one is within 4 px, else a bar.
 */
export function hitTest(
  vp: Viewport,
  view: RunView,
  layout: TimelineLayout,
  geometry: RowGeometry,
  px: number,
  py: number,
  now: number,
  preferTrims: boolean,
): TimelineHit | undefined {
  if (px < GUTTER) return undefined;
  const y = py + vp.scrollY;
  const t = vp.t0 + (px - GUTTER) * vp.msPerPx;
  // A trim's notch and line: within 4 px of it, in its lane.
  for (let l = 0; preferTrims && l < layout.lanes.length; l += 1) {
    const top = geometry.laneY[l]!;
    const lane = layout.lanes[l]!;
    if (y < top - 4 || y > top + lane.rowCount * ROW_HEIGHT) continue;
    const trims = view.lanes.find((candidate) => candidate.contextName === lane.name)?.trims ?? [];
    for (const trim of trims) {
      if (Math.abs((trim.time - t) / vp.msPerPx) <= 4) return { kind: 'trim', trim };
    }
    break;
  }
  for (let r = 0; r < layout.rows.length; r += 1) {
    const top = geometry.rowY[r]!;
    if (y < top) break;
    if (y >= top + ROW_HEIGHT) continue;
    const task = taskAt(layout.rows[r]!, t, vp.msPerPx * 3, now);
    return task === undefined ? undefined : { kind: 'task', task };
  }
  return undefined;
}

/** The lines of a hover's tooltip. */
export function describeHit(hit: TimelineHit, now: number): string[] {
  if (hit.kind === 'trim') {
    const { trim } = hit;
    return [
      `✂ ${trim.contextName} trimmed`,
      trim.summary !== undefined
        ? `${trim.removed} message(s) condensed into a summary (covers ${trim.summary.covers})`
        : `${trim.removed} message(s) left out`,
      `${trim.remaining} message(s) sent from then on`,
    ];
  }
  const { task } = hit;
  const lines = [
    `${task.taskId} · ${task.status}`,
    `${task.contextName ?? '–'} · ${task.profile ?? ''}`,
  ];
  if (task.start !== undefined) {
    lines.push(`took ${formatDuration(task.durationMs ?? now - task.start)}`);
  }
  const retried = task.attempts.filter(
    (attempt, i) => i < task.attempts.length - 1 || attempt.interrupted,
  );
  if (retried.length > 0) {
    lines.push(
      `${retried.length} retried: ${retried.map((a) => (a.interrupted ? 'interrupted' : (a.error?.message ?? '?'))).join('; ')}`,
    );
  }
  lines.push(...toolLines(task));
  if (task.status === 'running')
    lines.push(`~${formatCount(estimateTokens(task.streamedText))} tokens so far`);
  else if (task.usage !== undefined) {
    const cached = task.usage.cacheReadTokens ?? 0;
    lines.push(
      `${formatCount(task.usage.totalTokens)} tokens${cached > 0 ? ` (${formatCount(cached)} cache read)` : ''}`,
    );
  }
  if (task.error !== undefined && task.status !== 'succeeded') lines.push(task.error.message);
  return lines.map((line) => (line.length > 160 ? `${line.slice(0, 159)}…` : line));
}
