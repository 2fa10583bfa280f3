import type { Usage } from '@multi-context/events';
import type { ProviderUsage } from '@multi-context/provider';
import type { ResolvedProfile } from './profile.js';

/** A provider's token counts as events and results carry them, priced by the profile when it has a price. */
export function toUsage(
  usage: ProviderUsage | undefined,
  profile: ResolvedProfile,
): Usage | undefined {
  if (usage === undefined) return undefined;
  const out: Usage = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
  };
  if (profile.price !== undefined) {
    out.cost =
      (usage.inputTokens * profile.price.inputPerMillion +
        usage.outputTokens * profile.price.outputPerMillion) /
      1_000_000;
  }
  return out;
}

/** `more` added to `total` (a new object); either may be missing. */
export function addProviderUsage(
  total: ProviderUsage | undefined,
  more: ProviderUsage | undefined,
): ProviderUsage | undefined {
  if (total === undefined) return more;
  if (more === undefined) return total;
  return {
    inputTokens: total.inputTokens + more.inputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    totalTokens:
      (total.totalTokens ?? total.inputTokens + total.outputTokens) +
      (more.totalTokens ?? more.inputTokens + more.outputTokens),
  };
}
