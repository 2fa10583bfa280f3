import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RunView } from '../view-model/run-view.js';
import {
  drawTimeline,
  GUTTER,
  makeHatch,
  ROW_HEIGHT,
  type RowGeometry,
  rowGeometry,
  type Viewport,
} from './timeline-draw.js';
import { timelineGeometry } from './timeline-geometry.js';
import { describeHit, hitTest } from './timeline-hit.js';
import { layoutTimeline, type TimelineLayout } from './timeline-layout.js';
import { viewHook } from './view-hook.js';
import { waitLinks } from './wait-links.js';

export interface TimelineProps {
  view: RunView;
  /** Changes whenever `view` changed (it is updated in place). */
  version: number;
  /** The time running bars reach; a function so a live run's bars grow between events. */
  now: () => number;
  live: boolean;
  selectedTaskId: string | undefined;
  onSelect(taskId: string | undefined): void;
}

const MIN_MS_PER_PX = 0.01;

/**
 * The run on a canvas: one swimlane per context, time left to right. Drawn in
 * one pass per animation frame, whatever the number of tasks, so a run of
 * 10,000 tasks scrolls as smoothly as one of ten. Wheel scrolls the lanes,
 * Shift+wheel (or a sideways wheel) pans, Ctrl/⌘+wheel zooms around the
 * pointer, dragging pans; a click opens a task.
 */
export function Timeline({ view, version, now, live, selectedTaskId, onSelect }: TimelineProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const state = useRef({
    viewport: { t0: 0, msPerPx: 1, scrollY: 0, width: 800, height: 400 } as Viewport,
    fitted: false,
    userMoved: false,
    frame: 0,
    hatch: null as CanvasPattern | null,
    drag: undefined as
      | { x: number; y: number; t0: number; scrollY: number; moved: boolean }
      | undefined,
  });
  const layout = useMemo(() => layoutTimeline(view, now()), [view, version]);
  const geometry = useMemo(() => rowGeometry(layout), [layout]);
  const links = useMemo(() => waitLinks(view, selectedTaskId), [view, version, selectedTaskId]);
  const [hover, setHover] = useState<{ lines: string[]; x: number; y: number } | undefined>(
    undefined,
  );
  const latest = useRef({ view, layout, geometry, now, selectedTaskId, onSelect, links });
  latest.current = { view, layout, geometry, now, selectedTaskId, onSelect, links };

  const draw = () => {
    const s = state.current;
    s.frame = 0;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (canvas == null || ctx == null) return;
    const began = performance.now();
    const {
      view: v,
      layout: l,
      geometry: g,
      now: nowOf,
      selectedTaskId: selected,
      links: arrows,
    } = latest.current;
    const vp = s.viewport;
    if (!s.userMoved) fitAll(vp, l);
    clampScroll(vp, g);
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (s.hatch === null) s.hatch = makeHatch(ctx);
    drawTimeline(ctx, {
      view: v,
      layout: l,
      geometry: g,
      viewport: vp,
      now: nowOf(),
      selectedTaskId: selected,
      hatch: s.hatch,
      links: arrows,
    });
    viewHook.painted(
      performance.now() - began,
      v,
      l.rows.reduce((n, row) => n + row.tasks.length, 0),
    );
  };
  const schedule = () => {
    const s = state.current;
    if (s.frame === 0) s.frame = requestAnimationFrame(draw);
  };

  // Size the canvas to its box, in device pixels.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const resize = () => {
      const box = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      const vp = state.current.viewport;
      vp.width = Math.max(200, box.width);
      vp.height = Math.max(120, box.height);
      canvas.width = Math.round(vp.width * ratio);
      canvas.height = Math.round(vp.height * ratio);
      schedule();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    resize();
    return () => observer.disconnect();
  }, []);

  useEffect(schedule, [version, selectedTaskId, layout, links]);

  // A live run's running bars grow with the clock.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(schedule, 250);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const s = state.current;
      const vp = s.viewport;
      const px = event.offsetX;
      if (event.ctrlKey || event.metaKey) {
        zoomAt(vp, px, Math.exp(event.deltaY * 0.002));
      } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        vp.t0 += (event.shiftKey ? event.deltaY : event.deltaX) * vp.msPerPx;
      } else {
        vp.scrollY += event.deltaY;
      }
      s.userMoved = true;
      schedule();
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (event: PointerEvent) => {
    const vp = state.current.viewport;
    state.current.drag = {
      x: event.clientX,
      y: event.clientY,
      t0: vp.t0,
      scrollY: vp.scrollY,
      moved: false,
    };
    (event.currentTarget as HTMLCanvasElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const s = state.current;
    const drag = s.drag;
    if (drag === undefined) {
      hoverAt(event);
      return;
    }
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    s.userMoved = true;
    s.viewport.t0 = drag.t0 - dx * s.viewport.msPerPx;
    s.viewport.scrollY = drag.scrollY - dy;
    schedule();
  };
  const onPointerUp = (event: PointerEvent) => {
    const s = state.current;
    const drag = s.drag;
    s.drag = undefined;
    if (drag === undefined || drag.moved) return;
    const hit = hitAt(event, false);
    latest.current.onSelect(hit?.kind === 'task' ? hit.task.taskId : undefined);
  };
  const hitAt = (event: PointerEvent, preferTrims: boolean) => {
    const { view: v, layout: l, geometry: g, now: nowOf } = latest.current;
    const box = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    return hitTest(state.current.viewport, v, l, g, px, py, nowOf(), preferTrims);
  };
  const hoverAt = (event: PointerEvent) => {
    const hit = hitAt(event, true);
    if (hit === undefined) {
      if (hover !== undefined) setHover(undefined);
      return;
    }
    // Placed in the timeline's box, which holds the toolbar and the canvas.
    const box = (event.currentTarget as HTMLElement).parentElement!.getBoundingClientRect();
    setHover({
      lines: describeHit(hit, latest.current.now()),
      x: event.clientX - box.left,
      y: event.clientY - box.top,
    });
  };

  const zoomBy = (factor: number) => {
    const s = state.current;
    zoomAt(s.viewport, GUTTER + (s.viewport.width - GUTTER) / 2, factor);
    s.userMoved = true;
    schedule();
  };
  const refit = () => {
    state.current.userMoved = false;
    state.current.viewport.scrollY = 0;
    schedule();
  };
  viewHook.controls = {
    zoom: zoomBy,
    pan: (dxPx: number, dyPx: number) => {
      const s = state.current;
      s.viewport.t0 += dxPx * s.viewport.msPerPx;
      s.viewport.scrollY += dyPx;
      s.userMoved = true;
      schedule();
    },
  };

  viewHook.geometry = () => {
    const { view: v, layout: l, geometry: g, now: nowOf } = latest.current;
    // As the next draw will have it (a resize may not be drawn yet).
    const vp = state.current.viewport;
    if (!state.current.userMoved) fitAll(vp, l);
    clampScroll(vp, g);
    return timelineGeometry(v, l, g, vp, nowOf());
  };

  return (
    <div class="timeline">
      <div class="timeline-tools" role="toolbar" aria-label="Timeline zoom">
        <button type="button" onClick={() => zoomBy(1 / 1.6)} title="Zoom in (Ctrl+wheel)">
          +
        </button>
        <button type="button" onClick={() => zoomBy(1.6)} title="Zoom out (Ctrl+wheel)">
          −
        </button>
        <button type="button" onClick={refit} title="Show the whole run">
          Fit
        </button>
        <span class="hint">
          wheel: scroll · shift+wheel: pan · ctrl+wheel: zoom · drag: pan · click a bar: details
        </span>
      </div>
      <canvas
        ref={canvasRef}
        class="timeline-canvas"
        data-testid="timeline"
        aria-label="Timeline of the run: one lane per context"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(undefined)}
      />
      {hover !== undefined && (
        <div
          class="timeline-tooltip"
          role="tooltip"
          data-testid="tooltip"
          style={{
            left: `${Math.min(hover.x + 14, state.current.viewport.width - 340)}px`,
            top: `${hover.y + 14}px`,
          }}
        >
          {hover.lines.map((line, index) => (
            <div key={index} class={index === 0 ? 'tooltip-title' : undefined}>
              {line}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The whole run across the plot's width. */
function fitAll(vp: Viewport, layout: TimelineLayout): void {
  const span = Math.max(1, layout.end - layout.start);
  vp.msPerPx = Math.max(MIN_MS_PER_PX, (span * 1.03) / Math.max(50, vp.width - GUTTER - 12));
  vp.t0 = layout.start - span * 0.01;
}

function zoomAt(vp: Viewport, px: number, factor: number): void {
  const t = vp.t0 + (px - GUTTER) * vp.msPerPx;
  vp.msPerPx = Math.max(MIN_MS_PER_PX, vp.msPerPx * factor);
  vp.t0 = t - (px - GUTTER) * vp.msPerPx;
}

function clampScroll(vp: Viewport, geometry: RowGeometry): void {
  const max = Math.max(0, geometry.height - vp.height + ROW_HEIGHT);
  vp.scrollY = Math.min(max, Math.max(0, vp.scrollY));
}
