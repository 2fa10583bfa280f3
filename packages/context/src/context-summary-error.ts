const marker = Symbol.for('multi-context.error.ContextSummaryError');

/**
 * `applySummary` cannot record the summary: the context does not summarise, or
 * the messages given are not the span it would condense (the history changed,
 * or the span does not end at a turn's end).
 */
export class ContextSummaryError extends Error {
  readonly [marker] = true;
  /** The context's name. */
  readonly contextName: string;

  constructor(contextName: string, message: string) {
    super(`Context "${contextName}": ${message}`);
    this.name = 'ContextSummaryError';
    this.contextName = contextName;
  }

  /** Whether `error` is a ContextSummaryError from any copy of this package. */
  static isInstance(error: unknown): error is ContextSummaryError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
