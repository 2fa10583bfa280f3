import type { ContextLimits } from './context-window.js';
import { describeValue } from './describe-value.js';
import type { TrimPolicy, TrimRequest, TurnSize } from './trim-policy.js';

/** A user message and the answers after it: `start` is the logical index of its first message. */
export interface Turn {
  readonly start: number;
  messages: number;
  tokens: number;
}

/** How a window is made now: how many of the oldest turns it leaves out, and its size. */
export interface Plan {
  take: number;
  messages: number;
  tokens: number;
  over: boolean;
  /** Its size before any turn was left out. */
  fullMessages: number;
  fullTokens: number;
}

/**
 * Asks `policy` how many of the oldest turns to leave out, of those from
 * `head` on but the newest: at least `minimum`, the fewest that bring what is
 * sent (`plan`'s full size now) within `limits`. The answer is checked and kept within bounds.
 */
export function askPolicy(
  policy: TrimPolicy,
  turns: readonly Turn[],
  head: number,
  minimum: number,
  limits: ContextLimits,
  plan: Pick<Plan, 'fullMessages' | 'fullTokens'>,
): number {
  const available = turns.length - head - 1;
  const newest = turns.at(-1)!;
  const request: TrimRequest = {
    available,
    minimum,
    turn(index: number): TurnSize {
      if (!(Number.isInteger(index) && index >= 0 && index < available)) {
        throw new RangeError(`turn index must be an integer in [0, ${available}), got ${index}.`);
      }
      const { messages, tokens } = turns[head + index]!;
      return { messages, tokens };
    },
    newest: { messages: newest.messages, tokens: newest.tokens },
    sent: { messages: plan.fullMessages, tokens: plan.fullTokens },
    limits,
  };
  const chosen = policy.select(request);
  if (!Number.isInteger(chosen)) {
    throw new TypeError(
      `policy "${policy.name}" select() must return an integer, got ${describeValue(chosen)}.`,
    );
  }
  return Math.min(available, Math.max(minimum, chosen));
}
