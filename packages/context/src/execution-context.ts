import {
  type ContextMessage,
  MESSAGE_ROLES,
  type MessageDetails,
  type MessageRole,
} from './context-message.js';
import { ContextSummaryError } from './context-summary-error.js';
import { askPolicy, type Plan, type Turn } from './context-turns.js';
import type {
  ContextLimits,
  ContextSummary,
  ContextWindow,
  PendingSummary,
  TrimReport,
} from './context-window.js';
import { describeValue } from './describe-value.js';
import { checkOptions, type ExecutionContextOptions } from './execution-context-options.js';
import { copyDetails, type Entry, entryOf, sameMessage, toMessage } from './message-entry.js';
import { estimateTokenizer, o200kTokenizer, type Tokenizer } from './tokenizer.js';
import { dropOldest, type TrimPolicy, type TrimPolicyInfo } from './trim-policy.js';

const SEED_POLICY: TrimPolicyInfo = { name: 'drop-oldest-messages', action: 'drop', settings: {} };

/**
 * One isolated conversation history and what of it is sent to a model.
 *
 * Given only `maxHistory`, it keeps the newest `maxHistory` messages, as the
 * seed did. Given `maxTokens` or a `policy`, it keeps what is sent within both
 * limits a turn at a time, and the policy decides whether the oldest turns are
 * dropped or condensed into a summary (see `window()` and `applySummary()`).
 *
 * Appending is O(1) amortised however full the context is: trimmed messages
 * are skipped by moving a head index, and the storage is compacted only once
 * the skipped part outgrows the kept part. Each message is tokenized once,
 * when it is added.
 *
 * @example
 * const context = new ExecutionContext('notes', { maxHistory: 2 });
 * context.addMessage('user', 'hello');
 * context.addMessage('assistant', 'hi');
 * context.addMessage('user', 'how are you?'); // returns 1: "hello" was trimmed
 * context.getHistory(); // [{ role: 'assistant', content: 'hi' }, { role: 'user', content: 'how are you?' }]
 */
export class ExecutionContext {
  /** The context's name, as tasks refer to it (`context_name` in a workflow file). */
  readonly name: string;
  /** How many messages may be sent, the `system` option aside (`Infinity`: no limit). */
  readonly maxHistory: number;
  /** How many tokens may be sent, the `system` option included (`Infinity`: no limit). */
  readonly maxTokens: number;
  /** The system message sent first in every window, if any. */
  readonly system: string | undefined;

  readonly #tokenizer: Tokenizer;
  /** Undefined: the seed's rule, one message at a time whatever its role. */
  readonly #policy: TrimPolicy | undefined;
  readonly #summarizes: boolean;
  readonly #systemTokens: number;

  /** The message of logical index `i` is `#entries[i - #offset]`. */
  #entries: Entry[] = [];
  #offset = 0;
  /** Logical index of the first message sent word for word; dropping contexts forget the ones before. */
  #start = 0;
  /** System messages from before `#start`: they never leave what is sent. */
  #pinned: Entry[] = [];
  /** The turns from `#start` on are `#turns[#turnHead..]`. */
  #turns: Turn[] = [];
  #turnHead = 0;
  /** Messages and tokens of `#pinned` and of every message from `#start` on. */
  #sentMessages = 0;
  #sentTokens = 0;
  #summary: { entry: Entry; covers: number } | undefined;

  /**
   * @param name The context's name.
   * @param options Limits, the `system` message, the tokenizer and the trim policy.
   * @throws {RangeError} When `maxHistory` or `maxTokens` is not a non-negative integer or `Infinity`.
   * @throws {TypeError} When `system`, `tokenizer` or `policy` is not of its type.
   */
  constructor(name: string, options: ExecutionContextOptions = {}) {
    const { maxHistory, maxTokens, system, tokenizer, policy } = checkOptions(options);
    this.name = name;
    this.maxHistory = maxHistory;
    this.maxTokens = maxTokens ?? Number.POSITIVE_INFINITY;
    this.system = system;
    this.#tokenizer = tokenizer ?? (maxTokens === undefined ? estimateTokenizer : o200kTokenizer);
    this.#policy = policy ?? (maxTokens === undefined ? undefined : dropOldest);
    this.#summarizes = this.#policy?.action === 'summarize';
    this.#systemTokens = system === undefined ? 0 : this.#count(system);
  }

  /**
   * How many messages the history holds now: what `getHistory()` returns. A
   * summarising context holds every message it was given.
   */
  get size(): number {
    const kept = this.#entries.length - (this.#start - this.#offset);
    return this.#summarizes ? this.#entries.length : this.#pinned.length + kept;
  }

  /** How many tokens `window()` would send now (its `tokens`). */
  get tokens(): number {
    return this.#plan().tokens;
  }

  /** The limits and the tokenizer that measures them, as JSON data. */
  get limits(): ContextLimits {
    return {
      maxHistory: Number.isFinite(this.maxHistory) ? this.maxHistory : null,
      maxTokens: Number.isFinite(this.maxTokens) ? this.maxTokens : null,
      tokenizer: this.#tokenizer.name ?? 'custom',
    };
  }

  /**
   * The trim policy as JSON data. A context given neither `maxTokens` nor
   * `policy` reports `drop-oldest-messages`: the seed's rule.
   */
  get policy(): TrimPolicyInfo {
    const policy = this.#policy;
    if (policy === undefined) return { ...SEED_POLICY, settings: {} };
    return { name: policy.name, action: policy.action, settings: { ...policy.settings } };
  }

  /** The summary sent in place of the condensed turns, if one was applied. */
  get summary(): ContextSummary | undefined {
    const summary = this.#summary;
    if (summary === undefined) return undefined;
    return { content: summary.entry.content, tokens: summary.entry.tokens, covers: summary.covers };
  }

  /**
   * Appends a message, then trims what is sent to the limits. Without
   * `maxTokens` and `policy`: the newest `maxHistory` messages stay, as in the
   * seed. With them and a dropping policy: the oldest turns are dropped, system
   * messages and the newest turn stay. A summarising policy drops nothing
   * here (see `window()`).
   *
   * @returns How many messages this call trimmed (core publishes a non-zero
   *   count as `context:trim` with `remaining: context.size`).
   * A `tool` message (the result of a tool call) needs `details.toolCallId`;
   * an `assistant` message may carry `details.toolCalls`. Both join the turn
   * of the user message before them, and the seed's rule drops a result left
   * at the front without its call, so a call and its result leave together.
   *
   * @throws {TypeError} When `role` is not a message role, `content` is not a
   *   string, or a `tool` message has no `toolCallId`.
   */
  addMessage(role: MessageRole, content: string, details?: MessageDetails): number {
    if (!MESSAGE_ROLES.includes(role)) {
      throw new TypeError(
        `role must be "system", "user", "assistant" or "tool", got ${describeValue(role)}.`,
      );
    }
    if (typeof content !== 'string') {
      throw new TypeError(`content must be a string, got ${describeValue(content)}.`);
    }
    if (role === 'tool' && typeof details?.toolCallId !== 'string') {
      throw new TypeError('a tool message needs details.toolCallId, the call it answers.');
    }
    const kept = details === undefined ? undefined : copyDetails(details);
    if (this.#policy === undefined) return this.#addBySeedRule(role, content, kept);
    const tokens = this.#countMessage(content, kept);
    const index = this.#offset + this.#entries.length;
    this.#entries.push(entryOf(role, content, tokens, kept));
    this.#sentMessages += 1;
    this.#sentTokens += tokens;
    if (role !== 'system') {
      const last = this.#turns.length > this.#turnHead ? this.#turns.at(-1) : undefined;
      // An answer (or a tool's result) joins the turn of the question before it; one with no question opens its own.
      if (role !== 'user' && last !== undefined) {
        last.messages += 1;
        last.tokens += tokens;
      } else {
        this.#turns.push({ start: index, messages: 1, tokens });
      }
    }
    if (this.#summarizes) return 0;
    const { take } = this.#plan();
    return take === 0 ? 0 : this.#takeOut(take);
  }

  /**
   * What to send now, oldest first, within the limits (see
   * {@link ContextWindow.overLimit} for the one exception). A summarising
   * context over a limit also returns `pendingSummary`: the span to condense.
   * Does not change the context.
   */
  window(): ContextWindow {
    const plan = this.#plan();
    const messages: ContextMessage[] = [];
    if (this.system !== undefined) messages.push({ role: 'system', content: this.system });
    for (const entry of this.#pinned) messages.push(toMessage(entry));
    const summary = this.#summary;
    const end = this.#offset + this.#entries.length;
    let from = this.#start;
    let pendingSummary: PendingSummary | undefined;
    if (plan.take > 0) {
      // Only a summarising context gets here: a dropping one trimmed when the message was added.
      from = this.#turns[this.#turnHead + plan.take]!.start;
      const span: ContextMessage[] = summary === undefined ? [] : [toMessage(summary.entry)];
      for (let i = this.#start; i < from; i += 1) {
        const entry = this.#at(i);
        (entry.role === 'system' ? messages : span).push(toMessage(entry));
      }
      pendingSummary = { messages: span, reason: this.#reason(plan) };
    }
    if (summary !== undefined) messages.push(toMessage(summary.entry));
    for (let i = from; i < end; i += 1) messages.push(toMessage(this.#at(i)));
    const window: ContextWindow = {
      messages,
      tokens: plan.tokens,
      overLimit: plan.over,
      summarized: summary?.covers ?? 0,
    };
    if (pendingSummary !== undefined) window.pendingSummary = pendingSummary;
    return window;
  }

  /**
   * Records `text` as the summary of `forMessages` (the `pendingSummary.messages`
   * of a window): from now on every window sends the summary in their place.
   * The history keeps every message. A later summary condenses this one and
   * the turns after it.
   *
   * @param text The condensed text, sent as a system message; its tokens count toward `maxTokens`.
   * @param forMessages The span it condenses: the current summary (if any), then whole turns, oldest first, not the newest.
   * @returns What left what is sent (`removed`, the current summary included) and what it holds now (`remaining`).
   * @throws {ContextSummaryError} When the context does not summarise, or `forMessages` is not such a span of it now.
   */
  applySummary(text: string, forMessages: readonly ContextMessage[]): TrimReport {
    if (!this.#summarizes) {
      throw new ContextSummaryError(
        this.name,
        `applySummary needs the summarize policy; this context's policy is ${this.policy.name}.`,
      );
    }
    if (typeof text !== 'string') {
      throw new TypeError(`text must be a string, got ${describeValue(text)}.`);
    }
    if (!Array.isArray(forMessages)) {
      throw new TypeError(`forMessages must be an array, got ${describeValue(forMessages)}.`);
    }
    const stale = () =>
      new ContextSummaryError(
        this.name,
        'forMessages is not the span to condense now: it must be the current summary (if any), then whole turns of the history from the oldest one not yet condensed, and leave the newest turn. Ask window() again.',
      );
    const summary = this.#summary;
    let next = 0;
    if (summary !== undefined) {
      if (!sameMessage(forMessages[0], summary.entry)) throw stale();
      next = 1;
    }
    const end = this.#offset + this.#entries.length;
    let index = this.#start;
    let condensed = 0;
    for (; next < forMessages.length; next += 1) {
      while (index < end && this.#at(index).role === 'system') index += 1;
      if (index >= end || !sameMessage(forMessages[next], this.#at(index))) throw stale();
      index += 1;
      condensed += 1;
    }
    const available = this.#turns.length - this.#turnHead - 1;
    let turns = 0;
    let inTurns = 0;
    while (inTurns < condensed && turns < available) {
      inTurns += this.#turns[this.#turnHead + turns]!.messages;
      turns += 1;
    }
    if (condensed === 0 || inTurns !== condensed) throw stale();
    const tokens = this.#count(text);
    this.#takeOut(turns);
    this.#summary = {
      entry: { role: 'system', content: text, tokens },
      covers: (summary?.covers ?? 0) + condensed,
    };
    return { removed: forMessages.length, remaining: this.#plan().messages };
  }

  /** The history, oldest first, as new `{ role, content }` objects the caller may change freely. */
  getHistory(): ContextMessage[] {
    // A summarising context keeps every entry in place; a dropping one keeps
    // only the system messages of the turns it dropped, pinned ahead.
    const entries = this.#entries;
    const from = this.#summarizes ? 0 : this.#start - this.#offset;
    const pinned = this.#summarizes ? [] : this.#pinned;
    // The common case, nothing dropped: map() makes the array at its final length.
    if (from === 0 && pinned.length === 0) return entries.map(toMessage);
    const history = pinned.map(toMessage);
    for (let i = from; i < entries.length; i += 1) history.push(toMessage(entries[i]!));
    return history;
  }

  /** Forgets every message and the summary. The `system` option stays. */
  clearHistory(): void {
    this.#entries = [];
    this.#offset = 0;
    this.#start = 0;
    this.#pinned = [];
    this.#turns = [];
    this.#turnHead = 0;
    this.#sentMessages = 0;
    this.#sentTokens = 0;
    this.#summary = undefined;
  }

  /** How many tokens `text` is for this context's tokenizer (nothing is cached or added). */
  countTokens(text: string): number {
    if (typeof text !== 'string') {
      throw new TypeError(`text must be a string, got ${describeValue(text)}.`);
    }
    return this.#count(text);
  }

  /**
   * The seed's rule: keep the newest `maxHistory` messages, one out per one
   * in, and the tool results that dropping a call left at the front with it.
   */
  #addBySeedRule(role: MessageRole, content: string, details: MessageDetails | undefined): number {
    if (this.maxHistory === 0) return 1;
    const tokens = this.#countMessage(content, details);
    this.#entries.push(entryOf(role, content, tokens, details));
    this.#sentMessages += 1;
    this.#sentTokens += tokens;
    if (this.#sentMessages <= this.maxHistory) return 0;
    let removed = 0;
    do {
      this.#sentTokens -= this.#at(this.#start).tokens;
      this.#sentMessages -= 1;
      this.#start += 1;
      removed += 1;
    } while (this.#sentMessages > 0 && this.#at(this.#start).role === 'tool');
    this.#compact();
    return removed;
  }

  /** A message's tokens: its content, and its tool calls as the JSON a provider sends. */
  #countMessage(content: string, details: MessageDetails | undefined): number {
    const calls = details?.toolCalls;
    const tokens = this.#count(content);
    return calls === undefined || calls.length === 0
      ? tokens
      : tokens + this.#count(JSON.stringify(calls));
  }

  /** Decides how many of the oldest turns what is sent must leave out to fit, asking the policy. */
  #plan(): Plan {
    const summary = this.#summary;
    let messages = this.#sentMessages + (summary === undefined ? 0 : 1);
    let tokens = this.#systemTokens + this.#sentTokens + (summary?.entry.tokens ?? 0);
    const plan = {
      take: 0,
      messages,
      tokens,
      over: false,
      fullMessages: messages,
      fullTokens: tokens,
    };
    if (this.#fits(messages, tokens)) return plan;
    const policy = this.#policy;
    const head = this.#turnHead;
    const available = this.#turns.length - head - 1;
    if (policy === undefined || available <= 0) return { ...plan, over: true };
    let minimum = 0;
    while (minimum < available && !this.#fits(messages, tokens)) {
      const turn = this.#turns[head + minimum]!;
      messages -= turn.messages;
      tokens -= turn.tokens;
      minimum += 1;
    }
    const take = askPolicy(policy, this.#turns, head, minimum, this.limits, plan);
    for (let i = minimum; i < take; i += 1) {
      const turn = this.#turns[head + i]!;
      messages -= turn.messages;
      tokens -= turn.tokens;
    }
    return { ...plan, take, messages, tokens, over: !this.#fits(messages, tokens) };
  }

  /**
   * Takes the oldest `take` turns out of what is sent (never the newest): their
   * system messages stay, pinned ahead; a dropping context forgets the rest.
   *
   * @returns How many messages left what is sent.
   */
  #takeOut(take: number): number {
    const end = this.#turns[this.#turnHead + take]!.start;
    let removed = 0;
    for (let i = this.#start; i < end; i += 1) {
      const entry = this.#at(i);
      if (entry.role === 'system') {
        this.#pinned.push(entry);
      } else {
        removed += 1;
        this.#sentMessages -= 1;
        this.#sentTokens -= entry.tokens;
      }
    }
    this.#start = end;
    this.#turnHead += take;
    if (this.#turnHead > this.#turns.length - this.#turnHead) {
      this.#turns = this.#turns.slice(this.#turnHead);
      this.#turnHead = 0;
    }
    if (!this.#summarizes) this.#compact();
    return removed;
  }

  /**
   * Copies the kept part only once more has been skipped than is kept, so each
   * append pays for at most one copied message: O(1) amortised.
   */
  #compact(): void {
    const skipped = this.#start - this.#offset;
    if (skipped > this.#entries.length - skipped) {
      this.#entries = this.#entries.slice(skipped);
      this.#offset = this.#start;
    }
  }

  #at(index: number): Entry {
    return this.#entries[index - this.#offset]!;
  }

  #fits(messages: number, tokens: number): boolean {
    return messages <= this.maxHistory && tokens <= this.maxTokens;
  }

  #reason({ fullMessages, fullTokens }: Plan): string {
    const over: string[] = [];
    if (fullMessages > this.maxHistory)
      over.push(`maxHistory (${fullMessages} > ${this.maxHistory})`);
    if (fullTokens > this.maxTokens) over.push(`maxTokens (${fullTokens} > ${this.maxTokens})`);
    return `over ${over.join(' and ')}`;
  }

  #count(text: string): number {
    const count = this.#tokenizer.count(text);
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new TypeError(
        `tokenizer ${this.#tokenizer.name ?? 'custom'} counted ${describeValue(count)} tokens; a count must be a non-negative integer.`,
      );
    }
    return count;
  }
}
