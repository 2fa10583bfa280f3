import type { ProfileSpec } from '@multi-context/workflow';
import type { Entry } from './provider-sections.js';
import { type ProviderSetup, placeOf } from './provider-setup.js';

/**
 * A run's cost is one sum, so the prices of its profiles share a currency:
 * each profile whose price is in another currency than the first priced
 * profile's is an issue, at its `currency:` (or its `price:` when it leaves
 * the currency to its default, USD).
 */
export function checkCurrencies(
  profiles: Iterable<Entry<ProfileSpec>>,
  setup: ProviderSetup,
): void {
  let first: { name: string; currency: string } | undefined;
  for (const entry of profiles) {
    const { price } = entry.spec;
    if (price === undefined) continue;
    const currency = price.currency ?? 'USD';
    if (first === undefined) {
      first = { name: entry.name, currency };
      continue;
    }
    if (currency === first.currency) continue;
    setup.issues.add(
      `profile "${entry.name}" prices in ${currency}${price.currency === undefined ? ' (the default)' : ''}, and profile "${first.name}" in ${first.currency}: a run's cost is one sum, so give every price the same currency`,
      placeOf(entry, 'profiles', price.currency === undefined ? ['price'] : ['price', 'currency']),
    );
  }
}
