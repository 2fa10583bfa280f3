import { MultiContextError } from '@multi-context/errors';
/**
 * `applySummary` cannot record the summary: the context does not summarise, or
 * the messages given are not the span it would condense (the history changed,
 * or the span does not end at a turn's end).
 */
export class ContextSummaryError extends MultiContextError {
  static override errorName = 'ContextSummaryError';

  /** The context's name. */
  readonly contextName: string;

  constructor(contextName: string, message: string) {
    super(`Context "${contextName}": ${message}`);
    this.contextName = contextName;
  }
}
