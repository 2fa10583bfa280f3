import type { RunEvent } from '@multi-context/events';

/** Shows a run to the user. Fed only from `run.events$`, in order. */
export interface RunReporter {
  /** Takes the next event of the run; the last one is `run:end`. */
  event(event: RunEvent): void;
  /**
   * Takes an event that an earlier session of the run recorded (a resume),
   * before the run's own events: it tells where the run stands, and is not
   * news to show as it happens.
   */
  history(event: RunEvent): void;
  /** Tells the user something while the run goes on, such as that it is being cancelled. */
  notice(message: string): void;
  /** Stops at once and leaves the terminal clean: the process is about to exit. */
  abort(): void;
}
