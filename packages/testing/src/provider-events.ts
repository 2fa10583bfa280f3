import type { ChatMessage, ProviderEvent, ProviderRequest } from '@multi-context/provider';
import type { Observable } from 'rxjs';

/** Everything a provider stream emitted, and the error it failed with, if it did. */
export interface ProviderOutcome {
  events: ProviderEvent[];
  error?: unknown;
}

/** Subscribes to a provider stream and resolves once it completes or fails; never rejects. */
export function collectEvents(stream: Observable<ProviderEvent>): Promise<ProviderOutcome> {
  const events: ProviderEvent[] = [];
  return new Promise((resolve) => {
    stream.subscribe({
      next: (event) => events.push(event),
      error: (error: unknown) => resolve({ events, error }),
      complete: () => resolve({ events }),
    });
  });
}

/** The texts of the `text-delta` events, in order. */
export function textDeltas(events: readonly ProviderEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
}

/**
 * A provider request as core would send it: a system message, two messages of
 * history and the prompt `Say hello to the world.`, for profile `writer` in
 * context `notes`; `overrides` replace any field.
 */
export function chatRequest(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const history: ChatMessage[] = [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
  ];
  const system = 'You are terse.';
  const prompt = 'Say hello to the world.';
  return {
    prompt,
    history,
    messages: [{ role: 'system', content: system }, ...history, { role: 'user', content: prompt }],
    profile: 'writer',
    model: 'test-model',
    system,
    params: {},
    contextName: 'notes',
    taskId: 'greet',
    runId: 'run-1',
    signal: new AbortController().signal,
    ...overrides,
  };
}
