import type { MessageDetails } from '@multi-context/context';
import type { RunEvent, RunEventOf, RunEventPayload, Usage } from '@multi-context/events';
import type { EventHub } from './event-hub.js';

/** The run's clock: milliseconds, sub-millisecond, for durations and (through {@link epochAt}) event times. */
export const now = (): number => performance.now();

const TIME_ORIGIN = performance.timeOrigin;

/**
 * The epoch milliseconds (what `Date.now()` gives) of a {@link now} reading. A
 * task's event and its duration share one clock read: a parallel phase reads
 * the clock for every event of every task, and each read costs about as much
 * as the rest of an event.
 */
export const epochAt = (at: number): number => Math.floor(TIME_ORIGIN + at);

/**
 * Where every event of a run is built and delivered: each gets the run's id,
 * the next `seq` (0 first, one more per event, continued by a resume) and its
 * `time`, before its payload, so a JSON line reads type, runId, seq, time,
 * payload.
 *
 * A task emits four events when nothing goes wrong (start, two context
 * messages, end; more with deltas), and a wide phase emits them by the
 * hundred thousand. Those have methods of their own that build the event in
 * one object literal; every other event goes through {@link emit}, which
 * copies a payload.
 */
export class RunEnvelope {
  readonly runId: string;
  readonly #hub: EventHub;
  #seq: number;

  constructor(runId: string, firstSeq: number, hub: EventHub) {
    this.runId = runId;
    this.#seq = firstSeq;
    this.#hub = hub;
  }

  /** Emits any event, now. */
  emit(payload: RunEventPayload): void {
    const event = Object.assign(
      { type: payload.type, runId: this.runId, seq: this.#seq++, time: epochAt(now()) },
      payload,
    ) as RunEvent;
    this.#hub.next(event);
  }

  /** `task:start`, at `at` (a {@link now} reading the task's duration is measured from). */
  taskStart(
    at: number,
    taskId: string,
    phaseIndex: number,
    contextName: string,
    profile: string,
    prompt: string,
    provider: string,
    model: string | undefined,
  ): void {
    const event: RunEventOf<'task:start'> = {
      type: 'task:start',
      runId: this.runId,
      seq: this.#seq++,
      time: epochAt(at),
      taskId,
      phaseIndex,
      contextName,
      profile,
      prompt,
      provider,
    };
    // Left out rather than undefined, so the event comes back equal from JSON.
    if (model !== undefined) event.model = model;
    this.#hub.next(event);
  }

  /** `task:delta`: a streamed piece of a task's answer. */
  taskDelta(taskId: string, text: string): void {
    this.#hub.next({
      type: 'task:delta',
      runId: this.runId,
      seq: this.#seq++,
      time: epochAt(now()),
      taskId,
      text,
    });
  }

  /** `context:message`: a message appended to a context, at `time` (epoch ms), with its tool parts if any. */
  contextMessage(
    time: number,
    contextName: string,
    taskId: string,
    role: 'user' | 'assistant' | 'tool',
    content: string,
    details?: MessageDetails,
  ): void {
    this.#hub.next({
      type: 'context:message',
      runId: this.runId,
      seq: this.#seq++,
      time,
      contextName,
      taskId,
      message: details === undefined ? { role, content } : { role, content, ...details },
    });
  }

  /** `task:end` of a task that succeeded, at `time` (epoch ms); a failed one goes through {@link emit}. */
  taskSucceeded(
    time: number,
    taskId: string,
    response: string,
    attempts: number,
    durationMs: number,
    json: unknown,
    usage: Usage | undefined,
    worker?: string,
  ): void {
    const end: RunEventOf<'task:end'> = {
      type: 'task:end',
      runId: this.runId,
      seq: this.#seq++,
      time,
      taskId,
      status: 'succeeded',
      response,
      attempts,
      durationMs,
    };
    if (json !== undefined) end.json = json;
    if (usage !== undefined) end.usage = usage;
    if (worker !== undefined) end.worker = worker;
    this.#hub.next(end);
  }
}
