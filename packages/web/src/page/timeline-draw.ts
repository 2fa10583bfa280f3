import type { RunView, TaskView } from '../view-model/run-view.js';
import { estimateTokens, formatDuration } from './format.js';
import { STATUS_COLORS } from './status-colors.js';
import { barStart, type TimelineLayout } from './timeline-layout.js';

/** Sizes of the timeline, in CSS pixels. */
export const GUTTER = 168;
export const AXIS = 30;
export const ROW_HEIGHT = 22;
export const LANE_GAP = 8;
const BAR_INSET = 3;

/** What part of the timeline is on screen. */
export interface Viewport {
  /** Epoch ms at the left edge of the plot. */
  t0: number;
  msPerPx: number;
  /** Pixels scrolled down. */
  scrollY: number;
  width: number;
  height: number;
}

/** Where each row sits (content y, before scrolling), and how tall all of them are. */
export interface RowGeometry {
  rowY: Float64Array;
  laneY: Float64Array;
  height: number;
}

export function rowGeometry(layout: TimelineLayout): RowGeometry {
  const rowY = new Float64Array(layout.rows.length);
  const laneY = new Float64Array(layout.lanes.length);
  let y = AXIS + LANE_GAP / 2;
  layout.lanes.forEach((lane, index) => {
    laneY[index] = y;
    for (let r = 0; r < lane.rowCount; r += 1) rowY[lane.firstRow + r] = y + r * ROW_HEIGHT;
    y += lane.rowCount * ROW_HEIGHT + LANE_GAP;
  });
  return { rowY, laneY, height: y };
}

/** What one draw needs beyond the layout. */
export interface DrawInput {
  view: RunView;
  layout: TimelineLayout;
  geometry: RowGeometry;
  viewport: Viewport;
  /** The time bars of running tasks reach: now when live, the scrubbed time in a replay. */
  now: number;
  selectedTaskId: string | undefined;
  hatch: CanvasPattern | null;
}

/** Draws the whole timeline: phase bands, lanes, bars, retries, waits, trims, resumes, the axis. */
export function drawTimeline(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { view, layout, geometry, viewport, now } = input;
  const { width, height, t0, msPerPx, scrollY } = viewport;
  const x = (t: number) => GUTTER + (t - t0) / msPerPx;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';

  // Phase bands, alternating tints, across every lane.
  view.phases.forEach((phase, index) => {
    for (const span of phase.spans) {
      const left = Math.max(GUTTER, x(span.start));
      const right = Math.min(width, x(span.end ?? now));
      if (right <= left) continue;
      ctx.fillStyle = index % 2 === 0 ? '#f4f6fa' : '#eaeef5';
      ctx.fillRect(left, AXIS, right - left, height - AXIS);
      ctx.fillStyle = '#3c4a5c';
      clippedText(ctx, phase.name, left + 4, 10, right - left - 8);
    }
  });

  // Lane separators and names.
  const firstVisible = Math.max(0, lowerBound(geometry.rowY, scrollY - ROW_HEIGHT));
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS, width, height - AXIS);
  ctx.clip();
  layout.lanes.forEach((lane, index) => {
    const top = geometry.laneY[index]! - scrollY;
    const laneHeight = lane.rowCount * ROW_HEIGHT;
    if (top > height || top + laneHeight < AXIS) return;
    ctx.fillStyle = '#c9d1dc';
    ctx.fillRect(0, top + laneHeight + LANE_GAP / 2, width, 1);
    ctx.fillStyle = '#1f2937';
    clippedText(ctx, lane.name, 8, top + ROW_HEIGHT / 2, GUTTER - 16);
  });

  // Bars, row by row, only those on screen.
  const tMin = t0;
  const tMax = t0 + (width - GUTTER) * msPerPx;
  ctx.beginPath();
  ctx.rect(GUTTER, AXIS, width - GUTTER, height - AXIS);
  ctx.clip();
  for (let r = firstVisible; r < layout.rows.length; r += 1) {
    const top = geometry.rowY[r]! - scrollY;
    if (top > height) break;
    for (const task of layout.rows[r]!.tasks) {
      const begin = barStart(task)!;
      if (begin > tMax) break;
      if ((task.end ?? now) < tMin) continue;
      drawTask(ctx, input, task, top, x);
    }
  }

  // Trims: a notch at the top of the lane where the context was trimmed.
  layout.lanes.forEach((lane, index) => {
    const top = geometry.laneY[index]! - scrollY;
    const trims = view.lanes.find((l) => l.contextName === lane.name)?.trims;
    if (trims === undefined || top > height || top + lane.rowCount * ROW_HEIGHT < AXIS) return;
    for (const trim of trims) {
      const tx = Math.round(x(trim.time));
      if (tx < GUTTER || tx > width) continue;
      ctx.fillStyle = '#cc79a7';
      ctx.fillRect(tx - 1, top, 2, lane.rowCount * ROW_HEIGHT);
      ctx.beginPath();
      ctx.moveTo(tx - 5, top - 3);
      ctx.lineTo(tx + 5, top - 3);
      ctx.lineTo(tx, top + 4);
      ctx.closePath();
      ctx.fill();
    }
  });

  // Resumes: a dashed line across every lane.
  ctx.setLineDash([4, 4]);
  ctx.strokeStyle = '#56b4e9';
  for (const resume of view.resumes) {
    const rx = x(resume.time);
    if (rx < GUTTER || rx > width) continue;
    ctx.beginPath();
    ctx.moveTo(rx, AXIS);
    ctx.lineTo(rx, height);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.restore();

  drawAxis(ctx, viewport, view.start ?? layout.start);
  // "now" of a replay or a live run: a thin line.
  const nx = x(now);
  if (nx >= GUTTER && nx <= width && (view.end === undefined || now < view.end)) {
    ctx.fillStyle = '#0072b2';
    ctx.fillRect(nx, AXIS - 6, 1, height - AXIS + 6);
  }
}

function drawTask(
  ctx: CanvasRenderingContext2D,
  input: DrawInput,
  task: TaskView,
  top: number,
  x: (t: number) => number,
): void {
  const { now, view, hatch } = input;
  const y = top + BAR_INSET;
  const h = ROW_HEIGHT - BAR_INSET * 2;
  // Waiting: from its phase's start until it started, a dotted line.
  const phaseStart = view.phases[task.phaseIndex]?.spans[0]?.start;
  const begin = barStart(task)!;
  if (phaseStart !== undefined && task.start !== undefined && begin - phaseStart > 0) {
    const wx = x(phaseStart);
    const bx = x(begin);
    if (bx - wx > 3) {
      ctx.fillStyle = '#9aa5b4';
      for (let px = wx; px < bx - 2; px += 4) ctx.fillRect(px, y + h / 2, 2, 1);
    }
  }
  if (task.attempts.length === 0) {
    // Never started: a small mark where it ended (skipped, or cancelled before its turn).
    const mx = x(begin);
    ctx.fillStyle = STATUS_COLORS[task.status];
    ctx.fillRect(mx - 2, y, 4, h);
    return;
  }
  const lastIndex = task.attempts.length - 1;
  task.attempts.forEach((attempt, index) => {
    const left = x(attempt.start);
    const right = Math.max(left + 2, x(attempt.end ?? now));
    const last = index === lastIndex;
    const retried = !last || attempt.interrupted === true;
    const color = retried ? STATUS_COLORS.retried : STATUS_COLORS[task.status];
    if (attempt.delayMs > 0) {
      // The retry's wait before this attempt.
      ctx.fillStyle = STATUS_COLORS.retried;
      ctx.fillRect(
        x(attempt.start - attempt.delayMs),
        y + h / 2,
        left - x(attempt.start - attempt.delayMs),
        1,
      );
    }
    ctx.fillStyle = color;
    ctx.fillRect(left, y, right - left, h);
    if ((retried || task.status === 'failed') && hatch !== null) {
      ctx.fillStyle = hatch;
      ctx.fillRect(left, y, right - left, h);
    }
    if (right - left > 36) {
      ctx.fillStyle = retried || task.status === 'skipped' ? '#1f2937' : '#ffffff';
      const label = retried
        ? `↻ ${attempt.error?.message ?? (attempt.interrupted ? 'interrupted' : 'retried')}`
        : last && task.status === 'running'
          ? `${task.taskId} · ~${estimateTokens(task.streamedText)} tok`
          : `${task.taskId} · ${formatDuration((attempt.end ?? now) - attempt.start)}`;
      clippedText(ctx, label, left + 4, y + h / 2 + 0.5, right - left - 8);
    }
  });
  if (task.taskId === input.selectedTaskId) {
    ctx.strokeStyle = '#111827';
    ctx.lineWidth = 2;
    const left = x(begin);
    const right = Math.max(left + 2, x(task.end ?? now));
    ctx.strokeRect(left - 1, y - 1, right - left + 2, h + 2);
    ctx.lineWidth = 1;
  }
}

/** Time ticks along the top, every 1, 2 or 5 × 10^n ms, as offsets from the run's start. */
function drawAxis(ctx: CanvasRenderingContext2D, viewport: Viewport, origin: number): void {
  const { width, t0, msPerPx } = viewport;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, GUTTER, AXIS);
  ctx.fillStyle = '#c9d1dc';
  ctx.fillRect(0, AXIS - 1, width, 1);
  const target = msPerPx * 110;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= target) ?? power * 10;
  const first = Math.ceil((t0 - origin) / step) * step;
  if (!Number.isFinite(first) || !(step > 0)) return;
  ctx.fillStyle = '#4b5563';
  for (let offset = first; offset < first + step * 1000; offset += step) {
    const tx = GUTTER + (origin + offset - t0) / msPerPx;
    if (tx > width) break;
    ctx.fillRect(tx, AXIS - 6, 1, 6);
    ctx.fillText(formatDuration(offset), tx + 3, AXIS - 9);
  }
  ctx.fillStyle = '#6b7280';
  ctx.fillText('context', 8, AXIS - 9);
}

function clippedText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  maxWidth: number,
): void {
  if (maxWidth < 8) return;
  const line = text.length > 200 ? text.slice(0, 200) : text;
  const flat = line.replace(/\s+/g, ' ');
  if (ctx.measureText(flat).width <= maxWidth) {
    ctx.fillText(flat, x, y);
    return;
  }
  // Cut to fit, with an ellipsis; characters are ~6 px wide at 12 px.
  let end = Math.max(1, Math.floor(maxWidth / 6));
  while (end > 1 && ctx.measureText(`${flat.slice(0, end)}…`).width > maxWidth) end -= 1;
  ctx.fillText(`${flat.slice(0, end)}…`, x, y);
}

/** Index of the first value ≥ `value` in an ascending array. */
function lowerBound(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A diagonal hatch for failed and retried bars. */
export function makeHatch(ctx: CanvasRenderingContext2D): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const t = tile.getContext('2d');
  if (t === null) return null;
  t.strokeStyle = 'rgba(0,0,0,0.28)';
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}
