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

/**
 * The answer format a task declares with `output:` in its workflow: JSON, which
 * the host parses and checks against `schema` (a JSON Schema, draft 2020-12)
 * when one is given. Plain JSON data.
 */
export interface ProviderOutputFormat {
  format: 'json';
  /** The JSON Schema the parsed answer must satisfy, if the task gives one. */
  schema?: Record<string, unknown>;
}

/**
 * What a provider is asked to answer. Its fields describe one conversation,
 * and agree on every attempt: `messages` is always `system` (when set), then
 * `history`, then `prompt` as a user message. A provider may read whichever
 * suits its API. Everything but `signal` is plain JSON data.
 */
export interface ProviderRequest {
  /**
   * The new user message: the task's prompt, or on a structured-output repair
   * the instruction that says what was wrong with the answer before.
   */
  prompt: string;
  /**
   * Every message sent before `prompt`, oldest first, except the profile's
   * `system`: the context's conversation as it is sent (trimmed to its
   * limits). A context with a `contexts:` entry also holds there, as system
   * messages, its own `system` message first and the summary of the turns it
   * condensed. On a repair, it ends with the task's prompt and the rejected
   * answer. A copy: the provider may keep it.
   */
  history: readonly ChatMessage[];
  /** What to send: the profile's system message (if any), then `history`, then the prompt as a user message. */
  messages: readonly ChatMessage[];
  /** The profile name the task asked for. */
  profile: string;
  /** The model the profile names, if it names one. */
  model: string | undefined;
  /** The profile's system message, if it has one (also the first of `messages`, and never in `history`). */
  system: string | undefined;
  /** Provider-specific settings from the profile (temperature, max tokens, ...). */
  params: Readonly<Record<string, unknown>>;
  /**
   * Present when the task declares structured output: the answer must be JSON
   * (fitting `schema`, when given). A provider may use it, for example to ask
   * its API for a JSON response format; the host checks the answer either way,
   * and sends back an invalid one with what is wrong (see `prompt`).
   */
  output?: ProviderOutputFormat;
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
