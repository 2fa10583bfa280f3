import { type ContextMessage, MESSAGE_ROLES, type MessageRole } from './context-message.js';

/** How many messages a context keeps when no limit is given (the seed's default). */
export const DEFAULT_MAX_HISTORY = 50;

/** Settings of an {@link ExecutionContext}. */
export interface ExecutionContextOptions {
  /**
   * How many of the newest messages to keep: a non-negative integer, or
   * `Infinity` to keep them all. `0` keeps nothing. Defaults to {@link DEFAULT_MAX_HISTORY}.
   */
  maxHistory?: number;
}

/**
 * One isolated conversation history with a trimming policy: it keeps the
 * newest `maxHistory` messages and forgets older ones.
 *
 * Appending is O(1) amortised however full the context is: trimmed messages
 * are skipped by moving a head index, and the storage is compacted only once
 * the skipped part outgrows the kept part.
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
  /** How many of the newest messages this context keeps. */
  readonly maxHistory: number;

  /** Kept messages are `messages[head..]`; the ones before `head` are trimmed. */
  private messages: ContextMessage[] = [];
  private head = 0;

  /**
   * @param name The context's name.
   * @param options `maxHistory`: how many of the newest messages to keep.
   * @throws {RangeError} When `maxHistory` is not a non-negative integer or `Infinity`.
   */
  constructor(name: string, options: ExecutionContextOptions = {}) {
    const maxHistory = options.maxHistory ?? DEFAULT_MAX_HISTORY;
    if (!isHistoryLimit(maxHistory)) {
      throw new RangeError(
        `maxHistory must be a non-negative integer or Infinity, got ${describe(maxHistory)}.`,
      );
    }
    this.name = name;
    this.maxHistory = maxHistory;
  }

  /** How many messages the context holds now (never more than `maxHistory`). */
  get size(): number {
    return this.messages.length - this.head;
  }

  /**
   * Appends a message, then trims the history to the newest `maxHistory` messages.
   *
   * @returns How many messages this call trimmed (0 while the context is not full).
   * @throws {TypeError} When `role` is not a message role or `content` is not a string.
   */
  addMessage(role: MessageRole, content: string): number {
    if (!MESSAGE_ROLES.includes(role)) {
      throw new TypeError(`role must be "system", "user" or "assistant", got ${describe(role)}.`);
    }
    if (typeof content !== 'string') {
      throw new TypeError(`content must be a string, got ${describe(content)}.`);
    }
    if (this.maxHistory === 0) return 1;
    this.messages.push({ role, content });
    if (this.size <= this.maxHistory) return 0;
    this.head += 1;
    // Copy the kept part only once more has been skipped than is kept, so each
    // append pays for at most one copied message: O(1) amortised.
    if (this.head > this.size) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
    return 1;
  }

  /** The kept messages, oldest first, as new objects the caller may change freely. */
  getHistory(): ContextMessage[] {
    const history: ContextMessage[] = new Array(this.size);
    for (let i = this.head; i < this.messages.length; i += 1) {
      const { role, content } = this.messages[i]!;
      history[i - this.head] = { role, content };
    }
    return history;
  }

  /** Forgets every message. */
  clearHistory(): void {
    this.messages = [];
    this.head = 0;
  }
}

function isHistoryLimit(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0))
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
