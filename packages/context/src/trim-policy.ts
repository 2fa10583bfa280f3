import type { ContextLimits } from './context-window.js';
import { describeValue } from './describe-value.js';

/** What becomes of the turns a policy takes out of what a context sends. */
export type TrimAction = 'drop' | 'summarize';

/** The size of one turn: a user message and the answers that follow it. */
export interface TurnSize {
  /** How many messages the turn holds (its system messages are not counted: they never leave). */
  readonly messages: number;
  /** How many tokens those messages are. */
  readonly tokens: number;
}

/** What a {@link TrimPolicy} is asked when what a context sends is over a limit. */
export interface TrimRequest {
  /** How many turns may be taken out: every turn but the newest, which always stays. */
  readonly available: number;
  /** The fewest of them, oldest first, that must be taken out for what is sent to fit the limits. */
  readonly minimum: number;
  /** The `index`-th oldest of the turns that may be taken out (`0 <= index < available`). */
  turn(index: number): TurnSize;
  /** The newest turn, which stays whatever the policy answers. */
  readonly newest: TurnSize;
  /** The limits in force. */
  readonly limits: ContextLimits;
}

/**
 * Decides how much of a context's conversation leaves what is sent once it is
 * over a limit, and what becomes of it. The context works in whole turns (a
 * user message and the answers that follow it leave together, oldest first),
 * never takes out a system message or the newest turn, and clamps the answer
 * to `[minimum, available]`, so a policy can choose to take out more than it
 * must but never breaks a limit or a rule.
 *
 * @example
 * // Drops half of the older turns at a time, so trimming happens less often.
 * const dropHalf: TrimPolicy = {
 *   name: 'drop-half',
 *   action: 'drop',
 *   settings: {},
 *   select: ({ available, minimum }) => Math.max(minimum, Math.ceil(available / 2)),
 * };
 */
export interface TrimPolicy {
  /** A short name for logs and the journal. */
  readonly name: string;
  /**
   * `drop`: the turns are thrown away when a message is added. `summarize`: the
   * full history is kept and `window()` asks for a summary of the turns instead.
   */
  readonly action: TrimAction;
  /** The policy's settings as plain JSON data (reported by `context.policy`). */
  readonly settings: Readonly<Record<string, string | number | boolean | null>>;
  /**
   * How many of the oldest turns to take out. Called only when what is sent is
   * over a limit and a turn can be taken out. Must be pure: the context may ask
   * again for the same state.
   */
  select(request: TrimRequest): number;
}

/** A policy as plain JSON data: what `context.policy` returns. */
export interface TrimPolicyInfo {
  name: string;
  action: TrimAction;
  settings: Record<string, string | number | boolean | null>;
}

/**
 * The default policy: drops the oldest turns, just enough for what is sent to
 * fit the limits again. Nothing is kept of them.
 */
export const dropOldest: TrimPolicy = Object.freeze({
  name: 'drop-oldest',
  action: 'drop' as const,
  settings: Object.freeze({}),
  select: ({ minimum }: TrimRequest) => minimum,
});

/** Settings of {@link summarize}. */
export interface SummarizeOptions {
  /**
   * How many of the newest messages stay word for word when a summary is asked
   * for, rounded up to whole turns (fewer only if they alone do not fit the
   * limits). A non-negative integer or `Infinity`. Defaults to 4.
   */
  keepLast?: number;
}

/**
 * A policy that throws nothing away: the full history stays in the context and
 * only what is sent is compacted. Once what is sent is over a limit,
 * `context.window()` returns a `pendingSummary` with the span to condense (the
 * earlier summary, if any, and every turn but the newest `keepLast` messages);
 * the host has a model condense it and hands the text to `context.applySummary()`.
 *
 * @throws {RangeError} When `keepLast` is not a non-negative integer or `Infinity`.
 */
export function summarize(options: SummarizeOptions = {}): TrimPolicy {
  const keepLast = options.keepLast ?? 4;
  if (!(keepLast === Number.POSITIVE_INFINITY || (Number.isInteger(keepLast) && keepLast >= 0))) {
    throw new RangeError(
      `keepLast must be a non-negative integer or Infinity, got ${describeValue(keepLast)}.`,
    );
  }
  return Object.freeze({
    name: 'summarize',
    action: 'summarize' as const,
    // Infinity is not JSON: `null` reads as "no bound", as in `context.limits`.
    settings: Object.freeze({ keepLast: Number.isFinite(keepLast) ? keepLast : null }),
    select({ available, minimum, turn, newest }: TrimRequest): number {
      let kept = newest.messages;
      let take = available;
      while (take > 0 && kept < keepLast) {
        take -= 1;
        kept += turn(take).messages;
      }
      return Math.max(minimum, take);
    },
  });
}
