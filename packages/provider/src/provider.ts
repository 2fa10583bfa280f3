import type { Observable } from 'rxjs';

/**
 * The contract version this package describes: `v2` adds tool calls to `v1`.
 * A provider made by {@link defineProvider} carries it. Hosts still take a
 * `v1` provider (text only): it is never asked to call tools, and the
 * messages it gets hold no tool calls (see {@link textOnlyMessages}).
 */
export const PROVIDER_SPECIFICATION_VERSION = 'v2' as const;

/** Every contract version a host of this package accepts. */
export const SUPPORTED_SPECIFICATION_VERSIONS = ['v1', 'v2'] as const;

/** A contract version a provider may declare: `v1` (text only) or `v2` (tool calls). */
export type ProviderSpecificationVersion = (typeof SUPPORTED_SPECIFICATION_VERSIONS)[number];

/** Who wrote a message: `tool` is the result of a tool call (specification v2). */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A tool the model asked to call: plain JSON data. */
export interface ProviderToolCall {
  /** The id the model gave the call; its result's `toolCallId` names it. */
  id: string;
  /** The tool's name, one of the request's `tools`. */
  name: string;
  /** The arguments, parsed from the model's JSON (not checked yet: the host checks them against the tool's schema). */
  input: unknown;
}

/**
 * One message of a conversation. An `assistant` message may carry the
 * `toolCalls` the model made (its `content` is then what it said beside them,
 * often empty); a `tool` message is the result of one call, named by
 * `toolCallId` (and `toolName`), with `isError` when the tool failed and
 * `content` says why. The tool messages of a call follow its assistant
 * message, in the order of its calls.
 */
export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** On an `assistant` message: the tool calls it made. */
  toolCalls?: ProviderToolCall[];
  /** On a `tool` message: the id of the call it answers. */
  toolCallId?: string;
  /** On a `tool` message: the name of the tool that answered. */
  toolName?: string;
  /** On a `tool` message: the tool failed (threw, timed out, got invalid arguments); `content` says why. */
  isError?: boolean;
}

/** A tool the model may call, as a provider sends it to its API. Plain JSON data. */
export interface ProviderToolDefinition {
  name: string;
  description: string;
  /** A JSON Schema (draft 2020-12) of the tool's arguments, an object. */
  inputSchema: Record<string, unknown>;
}

/**
 * Token counts reported by a provider for one call. Input tokens a prompt
 * cache served or stored are counted apart: `inputTokens` holds only the
 * others (OpenAI's `prompt_tokens` minus its `cached_tokens`; Anthropic's
 * `input_tokens`).
 */
export interface ProviderUsage {
  /** Input tokens neither read from nor written to a prompt cache. */
  inputTokens: number;
  outputTokens: number;
  /** Defaults to input + cache reads + cache writes + output when left out. */
  totalTokens?: number;
  /** Input tokens read from the prompt cache (Anthropic's `cache_read_input_tokens`, OpenAI's `cached_tokens`). */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic's `cache_creation_input_tokens`). */
  cacheWriteTokens?: number;
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
  /**
   * Specification v2: the tools the model may call. The provider passes them
   * to its API and reports each call the model makes as a `tool-call` event.
   * The host runs them and asks again with `messages` ending with the
   * assistant's calls and their results (`history` then holds the prompt and
   * the steps so far, and `prompt` is the task's prompt, already sent).
   * Never set for a `v1` provider.
   */
  tools?: readonly ProviderToolDefinition[];
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
  /** `tool-calls` when the model stopped to have its tool calls run (informative). */
  finishReason?: string;
  usage?: ProviderUsage;
}

/**
 * Specification v2: the model calls a tool. Emit one per call, before
 * `finish`, with the arguments parsed from the model's JSON (`{}` when it sent
 * none); the host runs the calls once the stream completes.
 */
export interface ProviderToolCallEvent {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/**
 * Specification v2, optional: a piece of a tool call's arguments as the model
 * streams them (raw JSON text). For live views only: the `tool-call` event
 * that follows is what counts.
 */
export interface ProviderToolInputDeltaEvent {
  type: 'tool-input-delta';
  toolCallId: string;
  toolName: string;
  delta: string;
}

/** What a provider's stream emits. */
export type ProviderEvent =
  | ProviderTextDeltaEvent
  | ProviderUsageEvent
  | ProviderFinishEvent
  | ProviderToolCallEvent
  | ProviderToolInputDeltaEvent;

/**
 * A language-model provider. `stream()` returns a cold Observable: nothing
 * happens until it is subscribed, and unsubscribing aborts the call. It emits
 * text deltas and usage, then a `finish` event, then completes; it fails with
 * a `ProviderError` (or any error, taken as not retryable).
 */
export interface Provider {
  /** `v2` for a provider that may be asked to call tools; a `v1` provider is sent text only. */
  readonly specificationVersion: ProviderSpecificationVersion;
  /** A short name for messages and logs, such as `openai` or `mock`. */
  readonly id: string;
  stream(request: ProviderRequest): Observable<ProviderEvent>;
}

/** Whether `value` looks like a provider of a specification version this package supports (`v1` or `v2`). */
export function isProvider(value: unknown): value is Provider {
  return (
    typeof value === 'object' &&
    value !== null &&
    SUPPORTED_SPECIFICATION_VERSIONS.includes((value as Provider).specificationVersion) &&
    typeof (value as Provider).id === 'string' &&
    typeof (value as Provider).stream === 'function'
  );
}
