import type { MockScriptedAnswer } from './mock-provider-options.js';

/**
 * Scripted replies per context, handed out in order; the last one repeats,
 * unless it calls tools: repeating a call would only loop to `max_steps`, so
 * the step after it falls back to `reply` or the default answer (which quotes
 * what the tools returned).
 */
export class ScriptQueue {
  readonly #replies = new Map<string, readonly MockScriptedAnswer[]>();
  readonly #next = new Map<string, number>();

  constructor(
    script: Readonly<Record<string, MockScriptedAnswer | readonly MockScriptedAnswer[]>> = {},
  ) {
    for (const [contextName, replies] of Object.entries(script)) {
      const list = Array.isArray(replies)
        ? [...(replies as readonly MockScriptedAnswer[])]
        : [replies as MockScriptedAnswer];
      // An empty list scripts nothing, so the context falls back to `reply` or the default.
      if (list.length > 0) this.#replies.set(contextName, list);
    }
  }

  /**
   * The reply for the next call in `contextName`, or undefined when that
   * context is not scripted. With `consume` false the reply stays next in line.
   */
  next(contextName: string, consume: boolean): MockScriptedAnswer | undefined {
    const replies = this.#replies.get(contextName);
    if (replies === undefined) return undefined;
    const index = this.#next.get(contextName) ?? 0;
    const last = replies.length - 1;
    if (index > last) return undefined;
    const repeats = typeof replies[last] === 'string';
    if (consume && (index < last || !repeats)) this.#next.set(contextName, index + 1);
    return replies[index];
  }
}
