import { z } from 'zod';

/** Token counts of one provider call, or a sum of several. */
export const usageSchema = z.object({
  /** Input tokens billed at the full price: neither read from nor written to a prompt cache. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Every token: input, cache reads, cache writes and output. */
  totalTokens: z.number().int().nonnegative(),
  /** Input tokens read from the provider's prompt cache (billed at its cache-read price), when it reports them. */
  cacheReadTokens: z.number().int().nonnegative().optional(),
  /** Input tokens written to the provider's prompt cache (billed at its cache-write price), when it reports them. */
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  /** Cost in `currency`, when the profile has a price (its own, or the price table's). */
  cost: z.number().nonnegative().optional(),
  /**
   * The ISO 4217 code of `cost` (`USD`, `EUR`), when there is a cost. Records
   * written before currencies existed have none: their prices were US dollars.
   */
  currency: z.string().optional(),
});

/** Token counts of one provider call, or a sum of several. */
export type Usage = z.infer<typeof usageSchema>;

/** A usage with every count at zero: the neutral element of {@link addUsage}. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

/**
 * Adds `more` into `into` in place and returns it. Cost is kept only when
 * either side has one, so a run without prices never shows a cost of 0.
 */
export function addUsage(into: Usage, more: Usage | undefined): Usage {
  if (more === undefined) return into;
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.totalTokens += more.totalTokens;
  // Kept only when a side reports them, like cost: a provider without a cache never shows 0 cached.
  if (more.cacheReadTokens !== undefined)
    into.cacheReadTokens = (into.cacheReadTokens ?? 0) + more.cacheReadTokens;
  if (more.cacheWriteTokens !== undefined)
    into.cacheWriteTokens = (into.cacheWriteTokens ?? 0) + more.cacheWriteTokens;
  if (more.cost !== undefined) into.cost = (into.cost ?? 0) + more.cost;
  // A run's prices share one currency (the orchestrator refuses profiles that mix them).
  if (more.currency !== undefined) into.currency ??= more.currency;
  return into;
}
