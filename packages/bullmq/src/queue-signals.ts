import type { Redis } from 'ioredis';
import { HeardCancels } from './heard-cancels.js';
import { cancelChannel, cancelMarkerKey, type QueueAddress } from './redis-keys.js';

/**
 * How much longer than Redis's own pause a pause heard of counts here: the
 * message took a moment to come, so the local clock starts it late.
 */
const PAUSE_MARGIN_MS = 1_000;

/** A message on the queue's channel: a job's cancel, or a provider paused after a 429. */
type Signal = { job: string; reason: string } | { pause: string; ms: number };

function parseSignal(text: string): Signal | undefined {
  let value: { job?: unknown; reason?: unknown; pause?: unknown; ms?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value?.job === 'string') return { job: value.job, reason: String(value.reason) };
  if (typeof value?.pause === 'string' && typeof value.ms === 'number')
    return { pause: value.pause, ms: value.ms };
  return undefined;
}

/**
 * What a worker hears on its queue's channel, and whether it heard
 * everything: the cancels (a call in flight is aborted; a cancel for a job
 * not started yet is remembered) and the 429 pauses of providers. While the
 * listener has been subscribed since before a job was fetched, and no pause
 * is known for its provider, nothing in Redis can stop that job's call that
 * the worker would not have heard of, so it may start without asking Redis.
 */
export class QueueSignals {
  readonly #listener: Redis;
  readonly #commands: Redis;
  readonly #address: QueueAddress;
  readonly #inFlight: ReadonlyMap<string, AbortController>;
  readonly #pauseKeys: readonly string[];
  readonly #heard = new HeardCancels();
  /** Pause key → until when (this process's clock) it may be on. */
  readonly #pauses = new Map<string, number>();
  /** Since when (this process's clock) the listener has been subscribed without a break; undefined while it is not. */
  #since: number | undefined;
  /** One more at each lost connection: a look-up begun before the last loss must not set `#since`. */
  #epoch = 0;
  #started = false;

  /**
   * @param listener - A connection of its own, which this subscribes.
   * @param commands - For the look-ups after a (re)subscribe.
   * @param inFlight - The worker's calls in flight by job id: a cancel aborts one.
   * @param pauseKeys - The pause keys of the providers whose calls may start
   *   without the check (those without a limit), read at each (re)subscribe.
   */
  constructor(
    listener: Redis,
    commands: Redis,
    address: QueueAddress,
    inFlight: ReadonlyMap<string, AbortController>,
    pauseKeys: readonly string[],
  ) {
    this.#listener = listener;
    this.#commands = commands;
    this.#address = address;
    this.#inFlight = inFlight;
    this.#pauseKeys = pauseKeys;
    listener.on('message', (_channel: string, text: string) => this.#hear(text));
    // Whatever is published from now until the re-subscribe is never heard.
    listener.on('close', () => {
      this.#since = undefined;
      this.#epoch += 1;
    });
    listener.on('ready', () => {
      if (this.#started) void this.#listen().catch(() => {});
    });
  }

  /** Subscribes; resolves once every cancel and pause from now on is heard. */
  async start(): Promise<void> {
    this.#started = true;
    await this.#listen();
  }

  /**
   * Whether a job this worker fetched at `fetchedAt` (its own clock, BullMQ's
   * `processedOn`), whose provider's pauses are kept under `pauseKey`, may
   * start without the pre-call check in Redis.
   */
  quiet(fetchedAt: number, pauseKey: string): boolean {
    // Strictly after: a fetch built in the same millisecond may have left before the subscription was on.
    if (this.#since === undefined || !(fetchedAt > this.#since)) return false;
    const until = this.#pauses.get(pauseKey);
    if (until === undefined) return true;
    if (until > Date.now()) return false;
    this.#pauses.delete(pauseKey);
    return true;
  }

  /** The reason `jobId` was cancelled, if a cancel for it came before the job did. */
  takeHeard(jobId: string): string | undefined {
    return this.#heard.take(jobId);
  }

  #hear(text: string): void {
    const signal = parseSignal(text);
    if (signal === undefined) return;
    if ('pause' in signal) {
      this.#pauseUntil(signal.pause, Date.now() + signal.ms);
      return;
    }
    const abort = this.#inFlight.get(signal.job);
    if (abort !== undefined) abort.abort(new Error(signal.reason));
    else this.#heard.remember(signal.job, signal.reason);
  }

  #pauseUntil(key: string, until: number): void {
    const known = this.#pauses.get(key) ?? 0;
    this.#pauses.set(key, Math.max(known, until + PAUSE_MARGIN_MS));
  }

  /**
   * Subscribes (again), then reads what was missed while not subscribed: the
   * pauses on now, and the cancel markers of the calls in flight (each
   * marker is written before its message). Only then is a job fetched from
   * now on known to need no check.
   */
  async #listen(): Promise<void> {
    const epoch = this.#epoch;
    await this.#listener.subscribe(cancelChannel(this.#address));
    const since = Date.now();
    if (this.#pauseKeys.length > 0) {
      const pipeline = this.#commands.pipeline();
      for (const key of this.#pauseKeys) pipeline.pttl(key);
      const lefts = (await pipeline.exec()) ?? [];
      this.#pauseKeys.forEach((key, i) => {
        const left = Number(lefts[i]?.[1]);
        if (left > 0) this.#pauseUntil(key, since + left);
      });
    }
    const jobIds = [...this.#inFlight.keys()];
    if (jobIds.length > 0) {
      const reasons = await this.#commands.mget(
        jobIds.map((jobId) => cancelMarkerKey(this.#address, jobId)),
      );
      reasons.forEach((reason, i) => {
        if (reason !== null) this.#inFlight.get(jobIds[i] as string)?.abort(new Error(reason));
      });
    }
    // Lost again meanwhile: the next 'ready' listens again, and sets it.
    if (epoch === this.#epoch) this.#since = since;
  }
}
