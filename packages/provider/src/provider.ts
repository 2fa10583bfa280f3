import type { Observable } from 'rxjs';

/** The contract version this package describes. Core refuses providers of another version. */
export const PROVIDER_SPECIFICATION_VERSION = 'v1' as const;

/** Who wrote a message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** One message of a conversation. */
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Token counts reported by a provider for one call. */
export interface ProviderUsage {
  inputTokens: number;
  outputTokens: number;
  /** Defaults to input + output when left out. */
  totalTokens?: number;
}

/** What a provider is asked to answer. */
export interface ProviderRequest {
  /** The new user prompt of this task. */
  prompt: string;
  /** The task's context history before this prompt (a copy: the provider may keep it). */
  history: readonly ChatMessage[];
  /** What to send: the profile's system message (if any), then `history`, then the prompt as a user message. */
  messages: readonly ChatMessage[];
  /** The profile name the task asked for. */
  profile: string;
  /** The model the profile names, if it names one. */
  model: string | undefined;
  /** The profile's system message, if it has one (also the first of `messages`). */
  system: string | undefined;
  /** Provider-specific settings from the profile (temperature, max tokens, ...). */
  params: Readonly<Record<string, unknown>>;
  contextName: string;
  taskId: string;
  runId: string;
  /** Aborted when the run is cancelled or the attempt times out: stop work and free resources. */
  signal: AbortSignal;
}

/** A piece of an answer. */
export interface ProviderTextDeltaEvent {
  type: 'text-delta';
  text: string;
}

/** Token counts; may come once or several times (the last one wins). */
export interface ProviderUsageEvent {
  type: 'usage';
  usage: ProviderUsage;
}

/**
 * The answer is complete. `text`, when given, is the whole answer and wins over
 * the deltas (for providers that do not stream).
 */
export interface ProviderFinishEvent {
  type: 'finish';
  text?: string;
  finishReason?: string;
  usage?: ProviderUsage;
}

/** What a provider's stream emits. */
export type ProviderEvent = ProviderTextDeltaEvent | ProviderUsageEvent | ProviderFinishEvent;

/**
 * A language-model provider. `stream()` returns a cold Observable: nothing
 * happens until it is subscribed, and unsubscribing aborts the call. It emits
 * text deltas and usage, then a `finish` event, then completes; it fails with
 * a `ProviderError` (or any error, taken as not retryable).
 */
export interface Provider {
  readonly specificationVersion: typeof PROVIDER_SPECIFICATION_VERSION;
  /** A short name for messages and logs, such as `openai` or `mock`. */
  readonly id: string;
  stream(request: ProviderRequest): Observable<ProviderEvent>;
}

/** Whether `value` looks like a provider of this specification version. */
export function isProvider(value: unknown): value is Provider {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Provider).specificationVersion === PROVIDER_SPECIFICATION_VERSION &&
    typeof (value as Provider).id === 'string' &&
    typeof (value as Provider).stream === 'function'
  );
}
