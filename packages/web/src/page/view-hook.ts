import type { RunView } from '../view-model/run-view.js';

/**
 * What the page tells tests and benchmarks about itself, as
 * `window.__mcView`: read-only figures and two viewport controls. It exposes
 * nothing a user of the page could not do with the mouse.
 */
export interface ViewHook {
  /** True once the timeline was drawn with every event the page was given at its start. */
  ready: boolean;
  /** `performance.now()` when it became ready. */
  readyAt: number | undefined;
  /** How long each draw of the timeline took, in ms, oldest first (the last 1,000). */
  frames: number[];
  /** Events folded into the view drawn last. */
  eventCount: number;
  /** Bars in the layout drawn last. */
  taskCount: number;
  /** Zooms the timeline by `factor` (>1: out) or pans it by pixels, as the buttons and wheel do. */
  controls: { zoom(factor: number): void; pan(dx: number, dy: number): void } | undefined;
  /** Where the timeline drew its lanes, bars and trims, in CSS pixels of the canvas. */
  geometry: (() => TimelineGeometry) | undefined;
}

/** What {@link ViewHook.geometry} reports. */
export interface TimelineGeometry {
  lanes: { name: string; y: number; height: number }[];
  bars: {
    taskId: string;
    status: string;
    y: number;
    height: number;
    attempts: { x: number; width: number; retried: boolean }[];
  }[];
  trims: { contextName: string; x: number; y: number }[];
}

interface HookState extends ViewHook {
  /** How many events make the view complete (a report's); 0 until known. */
  expected: number;
  painted(ms: number, view: RunView, taskCount: number): void;
}

export const viewHook: HookState = {
  ready: false,
  readyAt: undefined,
  frames: [],
  eventCount: 0,
  taskCount: 0,
  controls: undefined,
  geometry: undefined,
  expected: 0,
  painted(ms, view, taskCount) {
    this.frames.push(ms);
    if (this.frames.length > 1000) this.frames.shift();
    this.eventCount = view.eventCount;
    this.taskCount = taskCount;
    if (!this.ready && view.eventCount > 0 && view.eventCount >= this.expected) {
      this.ready = true;
      this.readyAt = performance.now();
    }
  },
};

declare global {
  interface Window {
    __mcView?: ViewHook;
  }
}

/** Puts the hook on `window`, read-only from outside. */
export function exposeViewHook(): void {
  Object.defineProperty(window, '__mcView', {
    value: viewHook,
    writable: false,
    configurable: false,
  });
}
