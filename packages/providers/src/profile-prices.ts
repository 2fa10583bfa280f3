import type { Workflow } from '@multi-context/workflow';
import { PRICED_PROVIDERS, tablePrice } from './price-table.js';
import type { ProfileSettings } from './profile-config.js';
import type { ProviderSetup } from './provider-setup.js';

/** The profiles of a run with their prices, and what could not be priced. */
export interface PricedProfiles {
  profiles: Record<string, ProfileSettings>;
  /** One line per provider and model the run uses without a price: its cost is not counted. */
  notes: string[];
}

/**
 * Gives each profile the run uses a price: its own `price:` when it has one,
 * else the price table's for its provider and model (see {@link tablePrice}).
 * The offline mock provider costs nothing and needs none. A profile left
 * without a price gets a note, one per provider and model, so that a cost that
 * is not counted is never mistaken for a cost of zero. A task's profile that
 * is not defined runs on the default provider: it is given an entry when the
 * table prices it.
 */
export async function priceProfiles(
  workflow: Workflow,
  profiles: Record<string, ProfileSettings>,
  setup: ProviderSetup,
): Promise<PricedProfiles> {
  const priced: Record<string, ProfileSettings> = { ...profiles };
  const unpriced = new Map<string, { text: string; profiles: string[] }>();
  for (const name of profilesOfRun(workflow)) {
    const config = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
    if (config?.price !== undefined) continue;
    const providerName = config?.provider ?? setup.defaultProvider;
    // A profile without a provider fails the run's setup already.
    if (providerName === undefined) continue;
    const entry = setup.providers.get(providerName);
    const use = setup.uses.get(providerName);
    if (entry === undefined || use === undefined) continue;
    if (use.kind === 'builtin' && use.name === 'mock') continue;
    const model = config?.model ?? entry.spec.defaultModel;
    const price =
      use.kind === 'builtin' && PRICED_PROVIDERS.has(use.name) && model !== undefined
        ? await tablePrice(use.name, model, entry.spec.baseUrl)
        : undefined;
    if (price !== undefined) {
      priced[name] = { ...(config ?? { provider: providerName }), price };
      continue;
    }
    const where = entry.spec.baseUrl === undefined ? '' : ` at ${entry.spec.baseUrl}`;
    const text =
      model === undefined
        ? `no price known for provider ${providerName}${where}`
        : `no price known for model ${model} of provider ${providerName}${where}`;
    const key = `${providerName}\u0000${model ?? ''}`;
    const known = unpriced.get(key);
    if (known === undefined) unpriced.set(key, { text, profiles: [name] });
    else known.profiles.push(name);
  }
  const notes = [...unpriced.values()].map(({ text, profiles: names }) =>
    names.length === 1
      ? `${text}: cost not counted for profile ${names[0]}; add price: to the profile`
      : `${text}: cost not counted for profiles ${names.join(', ')}; add price: to them`,
  );
  return { profiles: priced, notes };
}

/** The profiles a run calls: its tasks', and its contexts' summarisers. */
function profilesOfRun(workflow: Workflow): Set<string> {
  const names = new Set<string>();
  for (const phase of workflow.phases) {
    for (const task of phase.tasks) names.add(task.profile ?? workflow.defaultProfile ?? 'default');
  }
  for (const spec of Object.values(workflow.contexts ?? {})) {
    if (typeof spec.trim === 'object') names.add(spec.trim.profile);
  }
  return names;
}
