import { describeValue } from './describe-value.js';
import type { Tokenizer } from './tokenizer.js';
import type { TrimPolicy } from './trim-policy.js';

/** How many messages a context keeps when no limit is given (the seed's default). */
export const DEFAULT_MAX_HISTORY = 50;

/** Settings of an {@link ExecutionContext}. */
export interface ExecutionContextOptions {
  /**
   * How many messages may be sent, the `system` option aside: a non-negative
   * integer, or `Infinity` for no limit. Defaults to {@link DEFAULT_MAX_HISTORY}.
   * Without `maxTokens` and `policy`, the seed's rule: the newest `maxHistory`
   * messages are kept whatever their role, and `0` keeps nothing.
   */
  maxHistory?: number;
  /**
   * How many tokens may be sent, the `system` option included: a non-negative
   * integer, or `Infinity`. Setting it turns on the turn rules (see `policy`).
   */
  maxTokens?: number;
  /**
   * A system message sent first in every window. It is not part of the history,
   * never trimmed, not counted by `maxHistory`, and counted by `maxTokens`.
   */
  system?: string;
  /**
   * Counts tokens. Defaults to `o200kTokenizer` when `maxTokens` is set,
   * else to `estimateTokenizer` (used then only to report `tokens`).
   */
  tokenizer?: Tokenizer;
  /**
   * What happens to the oldest turns once what is sent is over a limit:
   * `dropOldest` (the default once `maxTokens` is set) or `summarize()`.
   * Given this or `maxTokens`, the context works in turns: a user message and
   * the answers that follow it leave together, system messages never leave,
   * and the newest turn always stays.
   */
  policy?: TrimPolicy;
}

/** The options, checked, with `maxHistory` defaulted. */
interface CheckedOptions extends ExecutionContextOptions {
  maxHistory: number;
}

/**
 * Checks the options of a new context.
 *
 * @throws {RangeError} When `maxHistory` or `maxTokens` is not a non-negative integer or `Infinity`.
 * @throws {TypeError} When `system`, `tokenizer` or `policy` is not of its type.
 */
export function checkOptions(options: ExecutionContextOptions): CheckedOptions {
  const maxHistory = options.maxHistory ?? DEFAULT_MAX_HISTORY;
  if (!isLimit(maxHistory)) {
    throw new RangeError(
      `maxHistory must be a non-negative integer or Infinity, got ${describeValue(maxHistory)}.`,
    );
  }
  const { maxTokens, system, tokenizer, policy } = options;
  if (maxTokens !== undefined && !isLimit(maxTokens)) {
    throw new RangeError(
      `maxTokens must be a non-negative integer or Infinity, got ${describeValue(maxTokens)}.`,
    );
  }
  if (system !== undefined && typeof system !== 'string') {
    throw new TypeError(`system must be a string, got ${describeValue(system)}.`);
  }
  if (tokenizer !== undefined && typeof tokenizer?.count !== 'function') {
    throw new TypeError(
      `tokenizer must have a count(text) method, got ${describeValue(tokenizer)}.`,
    );
  }
  if (policy !== undefined && !isPolicy(policy)) {
    throw new TypeError(
      `policy must be dropOldest, summarize() or an object with name, action ("drop" or "summarize"), settings and select(), got ${describeValue(policy)}.`,
    );
  }
  return { maxHistory, maxTokens, system, tokenizer, policy };
}

function isLimit(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0))
  );
}

function isPolicy(value: unknown): value is TrimPolicy {
  if (typeof value !== 'object' || value === null) return false;
  const policy = value as Partial<TrimPolicy>;
  return (
    typeof policy.name === 'string' &&
    (policy.action === 'drop' || policy.action === 'summarize') &&
    typeof policy.settings === 'object' &&
    policy.settings !== null &&
    typeof policy.select === 'function'
  );
}
