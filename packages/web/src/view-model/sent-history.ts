import type {
  ContextMessageEvent,
  ContextTrimEvent,
  EventMessage,
  RunResumeEvent,
} from '@multi-context/events';

/** The events that change what a context sends. */
export type HistoryEvent = ContextMessageEvent | ContextTrimEvent | RunResumeEvent;

interface Kept {
  message: EventMessage;
  taskId: string;
}

/**
 * What a context sends, rebuilt from its events the way `ExecutionContext`
 * keeps it: messages are appended; a `context:trim` takes its `removed`
 * oldest messages out of what is sent (system messages among them stay,
 * ahead of the rest), and one with a `summary` sends the summary, as a system
 * message, in place of those messages and of the summary before it (which
 * `removed` counts); a `run:resume` rebuilds it as the resumed session did:
 * without the messages of the tasks it runs again, nor the trims those
 * messages caused, so older messages those trims took out come back.
 */
export class SentHistory {
  #pinned: EventMessage[] = [];
  #summary: string | undefined;
  #kept: Kept[] = [];
  /** The messages and trims applied, for a resume to rebuild from. */
  #log: (ContextMessageEvent | ContextTrimEvent)[] = [];

  /** Applies one event of this context (or a `run:resume`). */
  apply(event: HistoryEvent): void {
    if (event.type === 'run:resume') {
      this.#rebuild(new Set(event.interruptedTaskIds));
      return;
    }
    this.#log.push(event);
    if (event.type === 'context:message') {
      this.#kept.push({ message: event.message, taskId: event.taskId });
    } else if (event.type === 'context:trim') {
      const condensed =
        event.summary !== undefined && this.#summary !== undefined
          ? event.removed - 1
          : event.removed;
      this.#takeOldest(condensed);
      if (event.summary !== undefined) this.#summary = event.summary.content;
    }
  }

  /** Starts over from the log, less the messages of `again` and the drops they caused. */
  #rebuild(again: ReadonlySet<string>): void {
    const log = this.#log;
    this.#log = [];
    this.#pinned = [];
    this.#summary = undefined;
    this.#kept = [];
    let skipped = false;
    for (const event of log) {
      if (event.type === 'context:message') {
        skipped = again.has(event.taskId);
        if (skipped) continue;
      } else if (event.summary === undefined && skipped) {
        // A drop follows the message whose append caused it.
        continue;
      }
      this.apply(event);
    }
  }

  /** What the context sends now, oldest first: pinned system messages, the summary, the rest. */
  messages(): EventMessage[] {
    const messages = [...this.#pinned];
    if (this.#summary !== undefined) messages.push({ role: 'system', content: this.#summary });
    for (const kept of this.#kept) messages.push(kept.message);
    return messages;
  }

  #takeOldest(count: number): void {
    let index = 0;
    let taken = 0;
    const kept = this.#kept;
    while (index < kept.length && taken < count) {
      const { message } = kept[index]!;
      if (message.role === 'system') this.#pinned.push(message);
      else taken += 1;
      index += 1;
    }
    this.#kept = kept.slice(index);
  }
}

/** Replays `events` (one context's, with the run's resumes) up to `beforeSeq`, exclusive. */
export function sentHistoryAt(events: readonly HistoryEvent[], beforeSeq: number): EventMessage[] {
  const history = new SentHistory();
  for (const event of events) {
    if (event.seq >= beforeSeq) break;
    history.apply(event);
  }
  return history.messages();
}
