import { addUsage, type Usage } from '@multi-context/events';
import type { ProviderUsage } from '@multi-context/provider';
import { DEFAULT_CURRENCY, type ProfilePrice, type ResolvedProfile } from './profile.js';

/** A provider's token counts as events and results carry them, priced by the profile when it has a price. */
export function toUsage(
  usage: ProviderUsage | undefined,
  profile: ResolvedProfile,
): Usage | undefined {
  if (usage === undefined) return undefined;
  const out: Usage = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens ?? totalOf(usage),
  };
  if (usage.cacheReadTokens !== undefined) out.cacheReadTokens = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) out.cacheWriteTokens = usage.cacheWriteTokens;
  if (profile.price !== undefined) {
    out.cost = costOf(usage, profile.price);
    out.currency = profile.price.currency ?? DEFAULT_CURRENCY;
  }
  return out;
}

/**
 * A task's usage: its model calls', priced by its profile, and the summary's
 * made for it (priced by the summary's profile), when there was one.
 */
export function taskUsage(
  calls: ProviderUsage | undefined,
  profile: ResolvedProfile,
  summary: Usage | undefined,
): Usage | undefined {
  const usage = toUsage(calls, profile);
  if (summary === undefined) return usage;
  return addUsage(usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, summary);
}

/**
 * What a usage costs at `price`: cache reads and writes at their own prices,
 * or at the input price when the price has none (a cache that is not billed
 * apart costs what plain input does).
 */
export function costOf(usage: ProviderUsage, price: ProfilePrice): number {
  const input = price.inputPerMillion;
  return (
    (usage.inputTokens * input +
      (usage.cacheReadTokens ?? 0) * (price.cacheReadPerMillion ?? input) +
      (usage.cacheWriteTokens ?? 0) * (price.cacheWritePerMillion ?? input) +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000
  );
}

/** `more` added to `total` (a new object); either may be missing. */
export function addProviderUsage(
  total: ProviderUsage | undefined,
  more: ProviderUsage | undefined,
): ProviderUsage | undefined {
  if (total === undefined) return more;
  if (more === undefined) return total;
  const sum: ProviderUsage = {
    inputTokens: total.inputTokens + more.inputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    totalTokens: (total.totalTokens ?? totalOf(total)) + (more.totalTokens ?? totalOf(more)),
  };
  if (total.cacheReadTokens !== undefined || more.cacheReadTokens !== undefined)
    sum.cacheReadTokens = (total.cacheReadTokens ?? 0) + (more.cacheReadTokens ?? 0);
  if (total.cacheWriteTokens !== undefined || more.cacheWriteTokens !== undefined)
    sum.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + (more.cacheWriteTokens ?? 0);
  return sum;
}

/** Every token of a call: input, cache reads, cache writes and output. */
function totalOf(usage: ProviderUsage): number {
  return (
    usage.inputTokens +
    (usage.cacheReadTokens ?? 0) +
    (usage.cacheWriteTokens ?? 0) +
    usage.outputTokens
  );
}
