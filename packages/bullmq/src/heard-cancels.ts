/** How long a cancel heard for a job this worker does not run is kept for it. */
const KEEP_MS = 10 * 60_000;

/** Past this many, the cancels older than {@link KEEP_MS} are dropped. */
const MAX_KEPT = 10_000;

/**
 * The cancels a worker heard for jobs it was not running yet. A cancel's
 * message can overtake the job on its way to the worker: the coordinator
 * writes the job's marker just after the worker's pre-call check looked for
 * it, then publishes, and the message arrives before the worker has taken
 * the job as its own. Remembered here, the cancel still stops the call.
 */
export class HeardCancels {
  readonly #reasons = new Map<string, { reason: string; at: number }>();

  /** A cancel of `jobId`, which this worker does not run (yet). */
  remember(jobId: string, reason: string): void {
    const now = Date.now();
    this.#reasons.set(jobId, { reason, at: now });
    if (this.#reasons.size > MAX_KEPT) {
      for (const [id, heard] of this.#reasons)
        if (now - heard.at > KEEP_MS) this.#reasons.delete(id);
    }
  }

  /** The reason `jobId` was cancelled, if a cancel was heard for it; forgotten once asked. */
  take(jobId: string): string | undefined {
    const heard = this.#reasons.get(jobId);
    if (heard === undefined) return undefined;
    this.#reasons.delete(jobId);
    return heard.reason;
  }
}
