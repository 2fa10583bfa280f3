/** One run of the run list (`GET /api/runs` answers `{ runs: RunListEntry[] }`). */
export interface RunListEntry {
  runId: string;
  workflowName: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  /** Epoch milliseconds of the run's start. */
  startedAt: number;
  /** The run's duration, once it ended. */
  durationMs?: number;
  tasks: { total: number; succeeded: number; failed: number; skipped: number; cancelled: number };
  /** Tokens used so far. */
  tokens: number;
  /** Whether the run is going on: its page follows it live. */
  live: boolean;
}
