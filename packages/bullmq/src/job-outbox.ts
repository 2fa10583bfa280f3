import type { JobsOptions, Queue } from 'bullmq';
import type { AttemptJobData } from './attempt-job.js';

/** Jobs per `addBulk`: one round trip (one MULTI) for up to this many attempts. */
const BATCH_SIZE = 500;

/** `addBulk`s in flight at once: enough to keep Redis busy, few enough that memory stays bounded. */
const MAX_BATCHES_IN_FLIGHT = 2;

/** What every attempt's job is added with. */
const JOB_OPTIONS: JobsOptions = {
  // The run retries; a second BullMQ attempt would pay for a failed call twice.
  attempts: 1,
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
};

interface Outgoing {
  jobId: string;
  data: AttemptJobData;
}

/**
 * The jobs waiting to be added to the queue. A phase of thousands of
 * attempts calls `execute()` thousands of times in one turn of the event
 * loop: one `queue.add` each would mean as many commands, promises and
 * `Job` objects alive at once (and the loop held until they are all
 * written). The outbox adds them in batches of {@link BATCH_SIZE} with
 * `addBulk`, at most {@link MAX_BATCHES_IN_FLIGHT} at a time, in the order
 * they came; a job whose attempt was aborted before its turn is never sent.
 */
export class JobOutbox {
  readonly #queue: Queue;
  /** Whether the attempt of a job still wants it sent. */
  readonly #wanted: (jobId: string) => boolean;
  /** A batch could not be added: each of its attempts fails with the error. */
  readonly #failed: (jobIds: readonly string[], error: unknown) => void;
  #waiting: Outgoing[] = [];
  /** The ids of the jobs waiting: not yet given to Redis. */
  readonly #unsent = new Set<string>();
  #inFlight = 0;
  #scheduled = false;

  constructor(
    queue: Queue,
    wanted: (jobId: string) => boolean,
    failed: (jobIds: readonly string[], error: unknown) => void,
  ) {
    this.#queue = queue;
    this.#wanted = wanted;
    this.#failed = failed;
  }

  /** Adds a job, in a batch with the others of this turn of the event loop. */
  add(jobId: string, data: AttemptJobData): void {
    this.#waiting.push({ jobId, data });
    this.#unsent.add(jobId);
    this.#schedule();
  }

  /**
   * Takes back a job that has not been given to Redis yet: true if it was
   * still waiting (it will never be sent, so there is nothing to cancel in
   * the queue), false if it may be in the queue already.
   */
  withdraw(jobId: string): boolean {
    return this.#unsent.delete(jobId);
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= MAX_BATCHES_IN_FLIGHT) return;
    this.#scheduled = true;
    // The rest of this turn's attempts join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    while (this.#waiting.length > 0 && this.#inFlight < MAX_BATCHES_IN_FLIGHT) {
      const batch = this.#waiting
        .splice(0, BATCH_SIZE)
        .filter(({ jobId }) => this.#unsent.delete(jobId) && this.#wanted(jobId));
      if (batch.length === 0) continue;
      this.#inFlight += 1;
      this.#queue
        .addBulk(
          batch.map(({ jobId, data }) => ({
            name: 'attempt',
            data,
            opts: { ...JOB_OPTIONS, jobId },
          })),
        )
        .then(
          () => {},
          (error: unknown) =>
            this.#failed(
              batch.map(({ jobId }) => jobId),
              error,
            ),
        )
        .finally(() => {
          this.#inFlight -= 1;
          if (this.#waiting.length > 0) this.#schedule();
        });
    }
  }
}
