import { z } from 'zod';

/** Token counts of one provider call, or a sum of several. */
export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  /** Cost in the currency of the profile's price, when a price is configured. */
  cost: z.number().nonnegative().optional(),
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
  if (more.cost !== undefined) into.cost = (into.cost ?? 0) + more.cost;
  return into;
}
