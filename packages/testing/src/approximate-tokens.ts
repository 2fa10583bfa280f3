/**
 * The test servers' token count of a text: one token per four characters,
 * rounded up. Real tokenizers differ (English prose runs near four characters
 * a token); the servers need a count that is stable, cheap and close enough
 * for a benchmark's shares, not the exact one.
 */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
