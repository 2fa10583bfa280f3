import type { Colors } from './colors.js';
import type { PhaseState, TaskState } from './run-view.js';

/** Frames of the spinner shown beside work in flight. */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

const STATIC: Record<Exclude<TaskState | PhaseState, 'running'>, string> = {
  pending: '·',
  retrying: '↻',
  succeeded: '✔',
  failed: '✖',
  cancelled: '⊘',
  skipped: '↷',
};

/** The coloured mark of a task or phase state; `spinner` is the frame to show for `running`. */
export function stateGlyph(state: TaskState | PhaseState, colors: Colors, spinner = '…'): string {
  switch (state) {
    case 'running':
      return colors.cyan(spinner);
    case 'pending':
      return colors.dim(STATIC.pending);
    case 'retrying':
      return colors.yellow(STATIC.retrying);
    case 'succeeded':
      return colors.green(STATIC.succeeded);
    case 'failed':
      return colors.red(STATIC.failed);
    case 'cancelled':
      return colors.yellow(STATIC.cancelled);
    case 'skipped':
      return colors.dim(STATIC.skipped);
  }
}
