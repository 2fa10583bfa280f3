import type { TaskViewStatus } from '../view-model/run-view.js';

/**
 * Status colours from the Okabe–Ito palette, which stays distinguishable with
 * every common colour-vision deficiency; failed and retried bars also carry a
 * hatch, so no status is told by colour alone.
 */
export const STATUS_COLORS: Record<TaskViewStatus | 'retried', string> = {
  pending: '#d9d9d9',
  running: '#0072b2',
  succeeded: '#009e73',
  failed: '#d55e00',
  cancelled: '#7f7f7f',
  skipped: '#bdbdbd',
  retried: '#e69f00',
};

/** What the legend says each mark means, in its order. */
export const LEGEND: { key: TaskViewStatus | 'retried' | 'trim' | 'wait'; label: string }[] = [
  { key: 'running', label: 'running' },
  { key: 'succeeded', label: 'succeeded' },
  { key: 'failed', label: 'failed' },
  { key: 'retried', label: 'attempt that was retried' },
  { key: 'cancelled', label: 'cancelled' },
  { key: 'skipped', label: 'skipped' },
  { key: 'wait', label: 'waiting for its turn' },
  { key: 'trim', label: 'context trimmed' },
];
