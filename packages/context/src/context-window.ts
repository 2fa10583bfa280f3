import type { ContextMessage } from './context-message.js';

/** A context's limits as plain JSON data; `null` means no limit. */
export interface ContextLimits {
  /** How many messages may be sent, besides the `system` option. */
  maxHistory: number | null;
  /** How many tokens may be sent, the `system` option included. */
  maxTokens: number | null;
  /** The name of the tokenizer that counts them (`o200k_base`, `estimate`, or a custom one's). */
  tokenizer: string;
}

/** The span a summarising context asks to have condensed into one message. */
export interface PendingSummary {
  /**
   * The messages to condense, oldest first: the current summary (if any), then
   * the user and assistant messages of the oldest turns. Hand this very array
   * back to `applySummary`.
   */
  messages: ContextMessage[];
  /** Why a summary is asked for, such as `over maxTokens (5230 > 4000)`. */
  reason: string;
}

/** What a context sends now: the result of `context.window()`. */
export interface ContextWindow {
  /**
   * The messages to send, oldest first: the `system` option, then the system
   * messages of the history that are no longer next to their turns, then the
   * summary (if any), then the rest of the conversation.
   */
  messages: ContextMessage[];
  /** How many tokens `messages` are, counted by the context's tokenizer. */
  tokens: number;
  /**
   * True only when what can never leave is over a limit by itself: the
   * `system` option, system messages, the summary and the newest turn. The
   * window then holds just those.
   */
  overLimit: boolean;
  /** How many history messages the summary in `messages` stands in for (0: no summary). */
  summarized: number;
  /**
   * Present when a summarising context is over a limit: the span to condense.
   * `messages` already leaves that span out, so it fits and may be sent as it
   * is; once the summary is applied, the next window holds it instead.
   */
  pendingSummary?: PendingSummary;
}

/** How a trim changed what a context sends: what core publishes as `context:trim`. */
export interface TrimReport {
  /** How many messages left what is sent. */
  removed: number;
  /** How many messages what is sent holds now, the `system` option aside. */
  remaining: number;
}

/** The summary a context sends in place of the turns it condensed. */
export interface ContextSummary {
  /** The summary's text, sent as a system message. */
  content: string;
  /** Its tokens. */
  tokens: number;
  /** How many history messages it stands in for. */
  covers: number;
}
