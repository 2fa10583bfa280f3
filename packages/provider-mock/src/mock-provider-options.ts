import type { ProviderRequest } from '@multi-context/provider';

/** Describes the `ProviderError` that an injected failure fails with. */
export interface MockFailure {
  /** The HTTP status the error reports. Default `500`. */
  status?: number;
  /**
   * Whether core may retry the call. Default: whether `status` is one a retry
   * may cure (408, 409, 429, 5xx), so `true` for the default 500.
   */
  retryable?: boolean;
  /** The error message. Default: names the provider, status, task, context and attempt. */
  message?: string;
  /** Reported as the error's `retryAfterMs`. Default: none. */
  retryAfterMs?: number;
}

/** A tool call a scripted answer makes. */
export interface MockToolCall {
  /** The tool's name. */
  name: string;
  /** The arguments. Default `{}`. */
  input?: unknown;
  /** The call's id. Default `<task id>-<step>-<index>`, the same on every run. */
  id?: string;
}

/**
 * A scripted answer: its text, or (for a task whose profile has tools) tool
 * calls, with what the model says beside them. The next call in the context
 * (the step after the results) takes the next answer of the script.
 */
export type MockScriptedAnswer = string | { text?: string; toolCalls: readonly MockToolCall[] };

/** Everything {@link createMockProvider} can be told. Every option is optional. */
export interface MockProviderOptions {
  /** The provider id, as in messages and logs. Default `'mock'`. */
  id?: string;

  /**
   * Computes the answer instead of the built-in deterministic reply. May be
   * async; if it throws or rejects, the call fails with that error (which core
   * takes as not retryable). Contexts named in `script` do not call it.
   */
  reply?: (request: ProviderRequest) => string | Promise<string>;

  /**
   * Scripted answers per context name, taken in order by the calls in that
   * context; once the list runs out, its last answer repeats (so a single
   * string always answers the same). A failing call does not use up an answer,
   * so a retried task gets the answer it was scripted to get. Copied when the
   * provider is created. Contexts not named here use `reply` or the default.
   *
   * An answer may be `{ toolCalls, text? }`: the model calls those tools, and
   * the next answer of the list answers the step after their results.
   *
   * @example
   * script: { research: [{ toolCalls: [{ name: 'search', input: { q: 'rxjs' } }] }, 'Found it.'] }
   */
  script?: Readonly<Record<string, MockScriptedAnswer | readonly MockScriptedAnswer[]>>;

  /**
   * `true` (default): the answer arrives as `text-delta` events, then `finish`
   * with usage. `false`: only one `finish` event carrying the whole text, the
   * fastest path.
   */
  stream?: boolean;

  /** Words per `text-delta` piece (whitespace stays with the word after it). Default `3`. */
  chunkSize?: number;

  /**
   * Milliseconds between two pieces. Default `0`: no timers at all, the pieces
   * go out synchronously one after the other.
   */
  chunkDelayMs?: number;

  /**
   * Milliseconds before the first piece (or the failure, or the single
   * `finish`): a fixed number, or `[min, max]` for a delay drawn per call from
   * `seed`. Default `0`.
   */
  latencyMs?: number | readonly [min: number, max: number];

  /**
   * Seeds every pseudo-random draw (`failureRate`, `latencyMs` ranges). A draw
   * depends only on the seed, the context, the task id and the attempt, never
   * on call order, so parallel scheduling cannot change the outcome. Default `0`.
   */
  seed?: number;

  /** The chance (0..1) that a call fails, drawn per attempt from `seed`. Default `0`. */
  failureRate?: number;

  /** Calls in these contexts always fail (but see `failTimes`). Default: none. */
  failContexts?: readonly string[];

  /** Calls for these task ids always fail (but see `failTimes`). Default: none. */
  failTasks?: readonly string[];

  /**
   * Limits failures to the first `failTimes` attempts of a task; later
   * attempts succeed, which is what retry tests need. Attempts are counted per
   * task id within a run id. Alone (without `failContexts`, `failTasks` or
   * `failureRate`) it applies to every task. Default: no limit.
   */
  failTimes?: number;

  /**
   * How many `text-delta` pieces a failing call sends before its error, to test
   * errors in the middle of a stream. Past the last piece, the error takes the
   * place of `finish`. Ignored when `stream` is false. Default `0`: the error
   * comes before any piece.
   */
  failAfterChunks?: number;

  /** The error that failing calls fail with. Default `{ status: 500, retryable: true }`. */
  failure?: MockFailure;
}
