import type { RunView, TaskView } from '../view-model/run-view.js';
import { estimateTokens, formatDuration } from './format.js';
import { STATUS_COLORS } from './status-colors.js';
import { barStart, type TimelineLayout } from './timeline-layout.js';
import { runningToolLabel, toolCountLabel } from './tool-labels.js';
import type { WaitLink } from './wait-links.js';

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
  /** Arrows from the task whose end let a task start, to that task. */
  links: readonly WaitLink[];
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
  const batch = new BarBatch();
  for (let r = firstVisible; r < layout.rows.length; r += 1) {
    const top = geometry.rowY[r]! - scrollY;
    if (top > height) break;
    for (const task of layout.rows[r]!.tasks) {
      const begin = barStart(task)!;
      if (begin > tMax) break;
      if ((task.end ?? now) < tMin) continue;
      addTask(batch, input, task, top, x);
    }
  }
  batch.draw(ctx, input.hatch);
  drawLinks(ctx, input, x);

  // Trims: a notch at the top of the lane where the context was trimmed.
  layout.lanes.forEach((lane, index) => {
    const top = geometry.laneY[index]! - scrollY;
    if (top > height || top + lane.rowCount * ROW_HEIGHT < AXIS) return;
    // Only for the lanes on screen: a search of every lane for each of 1,000 lanes took
    // milliseconds a frame. The layout's lanes start with the view's, in the same order.
    const own = view.lanes[index];
    const trims = (
      own?.contextName === lane.name ? own : view.lanes.find((l) => l.contextName === lane.name)
    )?.trims;
    if (trims === undefined) return;
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

/**
 * The bars of one frame, gathered first and then drawn a colour at a time: a
 * few fills and strokes per frame instead of several per bar.
 */
class BarBatch {
  /** Per fill colour: x, y, width, height of each rectangle. */
  readonly rects = new Map<string, number[]>();
  readonly hatched: number[] = [];
  /** x1, x2, y of each wait line. */
  readonly waits: number[] = [];
  readonly labels: { text: string; x: number; y: number; width: number; dark: boolean }[] = [];
  outline: [number, number, number, number] | undefined;

  rect(color: string, x: number, y: number, w: number, h: number): void {
    let list = this.rects.get(color);
    if (list === undefined) {
      list = [];
      this.rects.set(color, list);
    }
    list.push(x, y, w, h);
  }

  draw(ctx: CanvasRenderingContext2D, hatch: CanvasPattern | null): void {
    if (this.waits.length > 0) {
      ctx.strokeStyle = '#9aa5b4';
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      const w = this.waits;
      for (let i = 0; i < w.length; i += 3) {
        ctx.moveTo(w[i]!, w[i + 2]!);
        ctx.lineTo(w[i + 1]!, w[i + 2]!);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const [color, r] of this.rects) {
      ctx.fillStyle = color;
      ctx.beginPath();
      for (let i = 0; i < r.length; i += 4) ctx.rect(r[i]!, r[i + 1]!, r[i + 2]!, r[i + 3]!);
      ctx.fill();
    }
    if (hatch !== null && this.hatched.length > 0) {
      ctx.fillStyle = hatch;
      ctx.beginPath();
      const r = this.hatched;
      for (let i = 0; i < r.length; i += 4) ctx.rect(r[i]!, r[i + 1]!, r[i + 2]!, r[i + 3]!);
      ctx.fill();
    }
    for (const label of this.labels) {
      ctx.fillStyle = label.dark ? '#1f2937' : '#ffffff';
      clippedText(ctx, label.text, label.x, label.y, label.width);
    }
    if (this.outline !== undefined) {
      ctx.strokeStyle = '#111827';
      ctx.lineWidth = 2;
      ctx.strokeRect(...this.outline);
      ctx.lineWidth = 1;
    }
  }
}

function addTask(
  batch: BarBatch,
  input: DrawInput,
  task: TaskView,
  top: number,
  x: (t: number) => number,
): void {
  const { now, view } = input;
  const y = top + BAR_INSET;
  const h = ROW_HEIGHT - BAR_INSET * 2;
  // Waiting: from its phase's start until it started, a dotted line.
  const phaseStart = view.phases[task.phaseIndex]?.spans[0]?.start;
  const begin = barStart(task)!;
  if (phaseStart !== undefined && task.start !== undefined && begin > phaseStart) {
    const wx = x(phaseStart);
    const bx = x(begin);
    if (bx - wx > 3) batch.waits.push(Math.max(wx, GUTTER - 4), bx - 1, y + h / 2 + 0.5);
  }
  if (task.attempts.length === 0) {
    // Never started: a small mark where it ended (skipped, or cancelled before its turn).
    batch.rect(STATUS_COLORS[task.status], x(begin) - 2, y, 4, h);
    return;
  }
  const lastIndex = task.attempts.length - 1;
  for (let index = 0; index <= lastIndex; index += 1) {
    const attempt = task.attempts[index]!;
    const left = x(attempt.start);
    const right = Math.max(left + 2, x(attempt.end ?? now));
    const last = index === lastIndex;
    const retried = !last || attempt.interrupted === true;
    if (attempt.delayMs > 0) {
      // The retry's wait before this attempt: a thin line in the retry colour.
      const waitLeft = x(attempt.start - attempt.delayMs);
      batch.rect(STATUS_COLORS.retried, waitLeft, y + h / 2, left - waitLeft, 1);
    }
    batch.rect(
      retried ? STATUS_COLORS.retried : STATUS_COLORS[task.status],
      left,
      y,
      right - left,
      h,
    );
    if (retried || task.status === 'failed') batch.hatched.push(left, y, right - left, h);
    if (right - left > 36) {
      const text = retried
        ? `↻ ${attempt.error?.message ?? (attempt.interrupted ? 'interrupted' : 'retried')}`
        : last && task.status === 'running'
          ? `${task.taskId} · ${runningToolLabel(task) ?? `~${estimateTokens(task.streamedText)} tok`}`
          : `${task.taskId} · ${formatDuration((attempt.end ?? now) - attempt.start)}${last ? toolCountLabel(task) : ''}`;
      batch.labels.push({
        text,
        x: left + 4,
        y: y + h / 2 + 0.5,
        width: right - left - 8,
        dark: retried || task.status === 'skipped',
      });
    }
  }
  if (task.taskId === input.selectedTaskId) {
    const left = x(begin);
    const right = Math.max(left + 2, x(task.end ?? now));
    batch.outline = [left - 1, y - 1, right - left + 2, h + 2];
  }
}

/** The waits: a curve from the end of the task waited for to the start of the one that waited. */
function drawLinks(
  ctx: CanvasRenderingContext2D,
  input: DrawInput,
  x: (t: number) => number,
): void {
  const { links, layout, geometry, view, viewport, selectedTaskId } = input;
  if (links.length === 0) return;
  // A few links (a big run's selected task): look them up; many (a small run): index once.
  const index =
    links.length > 8 ? new Map(view.tasks.map((task) => [task.taskId, task])) : undefined;
  const byId = {
    get: (id: string) => index?.get(id) ?? view.tasks.find((task) => task.taskId === id),
  };
  for (const link of links) {
    const from = byId.get(link.from);
    const to = byId.get(link.to);
    const fromRow = layout.rowOf.get(link.from);
    const toRow = layout.rowOf.get(link.to);
    if (
      from?.end === undefined ||
      to?.start === undefined ||
      fromRow === undefined ||
      toRow === undefined
    )
      continue;
    const x1 = x(from.end);
    const x2 = x(to.start);
    const y1 = geometry.rowY[fromRow]! - viewport.scrollY + ROW_HEIGHT / 2;
    const y2 = geometry.rowY[toRow]! - viewport.scrollY + ROW_HEIGHT / 2;
    if (Math.max(x1, x2) < GUTTER || Math.min(x1, x2) > viewport.width) continue;
    const strong = link.to === selectedTaskId || link.from === selectedTaskId;
    ctx.strokeStyle = strong ? 'rgba(17,24,39,0.85)' : 'rgba(75,85,99,0.45)';
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = strong ? 1.5 : 1;
    const bend = Math.max(12, Math.abs(x2 - x1) / 2);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2 - 1, y2);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - 5, y2 - 3);
    ctx.lineTo(x2 - 5, y2 + 3);
    ctx.closePath();
    ctx.fill();
  }
  ctx.lineWidth = 1;
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
    ctx.fillText(formatTick(offset, step), tx + 3, AXIS - 9);
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
  // Characters are about 6.5 px wide at 12 px: cut to what fits, and let the canvas squeeze the rest.
  const fits = Math.floor(maxWidth / 6.2);
  const flat = (text.length > fits + 1 ? text.slice(0, fits + 1) : text).replace(/\s+/g, ' ');
  const shown = flat.length > fits ? `${flat.slice(0, Math.max(1, fits - 1))}…` : flat;
  ctx.fillText(shown, x, y, maxWidth);
}

/** A tick's offset from the run's start, with as many decimals as the tick step needs. */
export function formatTick(offset: number, step: number): string {
  if (Math.abs(offset) < 1000 && step < 1000) {
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    return `${offset.toFixed(decimals)} ms`;
  }
  if (step >= 60_000) return formatDuration(offset);
  const decimals = Math.max(0, -Math.floor(Math.log10(step / 1000)));
  return `${(offset / 1000).toFixed(decimals)} s`;
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
