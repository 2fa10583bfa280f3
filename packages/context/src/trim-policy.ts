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
  /**
   * What is sent now, before anything is taken out: every message (the
   * `system` option aside, as `maxHistory` counts them) and every token (it
   * included, as `maxTokens` counts them).
   */
  readonly sent: TurnSize;
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
 * How far below its limits a context trims once it is over one, by default:
 * to 75% of them. Why not just under the limit: a provider's prompt cache
 * holds the prefix of what a context sent, and taking out the oldest turn
 * changes that prefix from its first message, so a context that trimmed a
 * little on every task would pay its whole history at the full price on every
 * task. Trimming a quarter at once leaves room for several more tasks that
 * send the same prefix (read back from the cache) before the next trim.
 */
export const DEFAULT_TRIM_TO = 0.75;

/** Settings of the trimming policies: how far below the limits a trim goes. */
export interface TrimToOptions {
  /**
   * Once what is sent is over a limit, the oldest turns are taken out until it
   * is within this share of each limit (of `maxHistory` messages and
   * `maxTokens` tokens): a number in (0, 1]. `1` trims just enough to fit, on
   * every message once the limit is reached. Defaults to
   * {@link DEFAULT_TRIM_TO} (0.75).
   */
  trimTo?: number;
}

/** Settings of {@link dropOldestPolicy}. */
export type DropOldestOptions = TrimToOptions;

/**
 * A policy that drops the oldest turns once what is sent is over a limit,
 * down to `trimTo` of the limits (75% by default: see {@link DEFAULT_TRIM_TO}).
 * Nothing is kept of them.
 *
 * @throws {RangeError} When `trimTo` is not a number in (0, 1].
 * @example
 * // Trim down to half of the limits, for a context whose prefix is worth keeping longer.
 * new ExecutionContext('notes', { maxTokens: 100_000, policy: dropOldestPolicy({ trimTo: 0.5 }) });
 */
export function dropOldestPolicy(options: DropOldestOptions = {}): TrimPolicy {
  const trimTo = checkTrimTo(options.trimTo);
  return Object.freeze({
    name: 'drop-oldest',
    action: 'drop' as const,
    settings: Object.freeze({ trimTo }),
    select: (request: TrimRequest) => trimmedTo(request, trimTo),
  });
}

/**
 * The default policy: drops the oldest turns once what is sent is over a
 * limit, down to 75% of the limits ({@link dropOldestPolicy} with its
 * defaults). Nothing is kept of them.
 */
export const dropOldest: TrimPolicy = dropOldestPolicy();

/**
 * The fewest of the oldest turns (at least `minimum`, at most `available`)
 * whose leaving brings what is sent within `trimTo` of each limit.
 */
export function trimmedTo(request: TrimRequest, trimTo: number): number {
  const { available, minimum, sent, limits } = request;
  const maxMessages =
    limits.maxHistory === null ? Number.POSITIVE_INFINITY : Math.floor(limits.maxHistory * trimTo);
  const maxTokens =
    limits.maxTokens === null ? Number.POSITIVE_INFINITY : Math.floor(limits.maxTokens * trimTo);
  let { messages, tokens } = sent;
  let take = 0;
  while (take < available && (take < minimum || messages > maxMessages || tokens > maxTokens)) {
    const turn = request.turn(take);
    messages -= turn.messages;
    tokens -= turn.tokens;
    take += 1;
  }
  return take;
}

function checkTrimTo(trimTo: number | undefined): number {
  const value = trimTo ?? DEFAULT_TRIM_TO;
  if (!(typeof value === 'number' && value > 0 && value <= 1)) {
    throw new RangeError(`trimTo must be a number in (0, 1], got ${describeValue(value)}.`);
  }
  return value;
}

/** Settings of {@link summarize}. */
export interface SummarizeOptions extends TrimToOptions {
  /**
   * How many of the newest messages stay word for word when a summary is asked
   * for, rounded up to whole turns (fewer only if they alone do not fit
   * within `trimTo` of the limits). A non-negative integer or `Infinity`. Defaults to 4.
   */
  keepLast?: number;
}

/**
 * A policy that throws nothing away: the full history stays in the context and
 * only what is sent is compacted. Once what is sent is over a limit,
 * `context.window()` returns a `pendingSummary` with the span to condense (the
 * earlier summary, if any, and every turn but the newest `keepLast` messages,
 * and more if need be for what is sent to come within `trimTo` of the limits,
 * 75% by default, so that the next summary, which changes the prefix the
 * provider may have cached, comes tasks later);
 * the host has a model condense it and hands the text to `context.applySummary()`.
 *
 * @throws {RangeError} When `keepLast` is not a non-negative integer or
 *   `Infinity`, or `trimTo` is not a number in (0, 1].
 */
export function summarize(options: SummarizeOptions = {}): TrimPolicy {
  const keepLast = options.keepLast ?? 4;
  const trimTo = checkTrimTo(options.trimTo);
  if (!(keepLast === Number.POSITIVE_INFINITY || (Number.isInteger(keepLast) && keepLast >= 0))) {
    throw new RangeError(
      `keepLast must be a non-negative integer or Infinity, got ${describeValue(keepLast)}.`,
    );
  }
  return Object.freeze({
    name: 'summarize',
    action: 'summarize' as const,
    // Infinity is not JSON: `null` reads as "no bound", as in `context.limits`.
    settings: Object.freeze({ keepLast: Number.isFinite(keepLast) ? keepLast : null, trimTo }),
    select(request: TrimRequest): number {
      const { available, turn, newest } = request;
      let kept = newest.messages;
      let take = available;
      while (take > 0 && kept < keepLast) {
        take -= 1;
        kept += turn(take).messages;
      }
      return Math.max(trimmedTo(request, trimTo), take);
    },
  });
}
