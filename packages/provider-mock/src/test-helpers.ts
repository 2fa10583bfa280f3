// Shared by the tests only; not exported from index.ts, so never shipped.
import type { ChatMessage, ProviderEvent, ProviderRequest } from '@multi-context/provider';
import type { Observable, Subscription } from 'rxjs';

/** A complete request with sensible values; `messages` follows `system`, `history` and `prompt`. */
export function testRequest(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const prompt = overrides.prompt ?? 'Summarise the findings';
  const history = overrides.history ?? [];
  const system = overrides.system;
  const messages: ChatMessage[] = [
    ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
    ...history,
    { role: 'user', content: prompt },
  ];
  return {
    profile: 'writer',
    model: undefined,
    params: {},
    contextName: 'notes',
    taskId: 'task-1',
    runId: 'run-1',
    signal: new AbortController().signal,
    ...overrides,
    prompt,
    history,
    system,
    messages: overrides.messages ?? messages,
  };
}

/** What a subscription has seen so far, read synchronously (handy with fake timers). */
export interface Recording {
  readonly events: ProviderEvent[];
  readonly error: unknown;
  readonly completed: boolean;
  readonly subscription: Subscription;
}

/** Subscribes and records every notification. */
export function record(source: Observable<ProviderEvent>): Recording {
  const state = { events: [] as ProviderEvent[], error: undefined as unknown, completed: false };
  const subscription = source.subscribe({
    next: (event) => state.events.push(event),
    error: (error: unknown) => {
      state.error = error;
    },
    complete: () => {
      state.completed = true;
    },
  });
  return {
    events: state.events,
    get error() {
      return state.error;
    },
    get completed() {
      return state.completed;
    },
    subscription,
  };
}

/** The texts of the `text-delta` events. */
export function deltas(events: readonly ProviderEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
}
