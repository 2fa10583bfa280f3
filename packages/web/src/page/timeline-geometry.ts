import type { RunView } from '../view-model/run-view.js';
import { GUTTER, ROW_HEIGHT, type RowGeometry, type Viewport } from './timeline-draw.js';
import type { TimelineLayout } from './timeline-layout.js';
import type { TimelineGeometry } from './view-hook.js';

/** Where the lanes, bars and trims of the last draw are on the canvas, for tests and benchmarks. */
export function timelineGeometry(
  view: RunView,
  layout: TimelineLayout,
  geometry: RowGeometry,
  viewport: Viewport,
  now: number,
): TimelineGeometry {
  const x = (t: number) => GUTTER + (t - viewport.t0) / viewport.msPerPx;
  const y = (contentY: number) => contentY - viewport.scrollY;
  const lanes = layout.lanes.map((lane, index) => ({
    name: lane.name,
    y: y(geometry.laneY[index]!),
    height: lane.rowCount * ROW_HEIGHT,
  }));
  const bars = layout.rows.flatMap((row, r) =>
    row.tasks.map((task) => ({
      taskId: task.taskId,
      status: task.status,
      y: y(geometry.rowY[r]!),
      height: ROW_HEIGHT,
      attempts: task.attempts.map((attempt, index) => ({
        x: x(attempt.start),
        width: Math.max(2, x(attempt.end ?? now) - x(attempt.start)),
        retried: index < task.attempts.length - 1 || attempt.interrupted === true,
      })),
    })),
  );
  const trims = view.lanes.flatMap((lane) => {
    const index = layout.lanes.findIndex((l) => l.name === lane.contextName);
    return lane.trims.map((trim) => ({
      contextName: lane.contextName,
      x: x(trim.time),
      y: y(geometry.laneY[index] ?? 0),
    }));
  });
  return { lanes, bars, trims };
}
