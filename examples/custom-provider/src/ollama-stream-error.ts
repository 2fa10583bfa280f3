/**
 * What Ollama says in a stream when the failure was its own state, not the
 * request: its model runner died (out of memory, a crash; the next call
 * starts a new one) or it was too busy. Matched on the text, since an error
 * line carries nothing else.
 */
const TRANSIENT_STREAM_ERRORS: readonly RegExp[] = [
  /runner has unexpectedly stopped/i,
  /runner process (has terminated|no longer running)/i,
  /server busy/i,
];

/**
 * Whether an `error` line Ollama sends in the middle of a stream is worth
 * another attempt. Any other error (a model that cannot run this prompt, a
 * bad option) would fail the same way again, so it ends the task at once.
 */
export function isRetryableStreamError(message: string): boolean {
  return TRANSIENT_STREAM_ERRORS.some((pattern) => pattern.test(message));
}
