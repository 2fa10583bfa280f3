import type { ProfileSettings } from './profile-config.js';

/** A profile's price, as the orchestrator takes it. */
export type TablePrice = NonNullable<ProfileSettings['price']>;

/** The built-in providers whose models the price table knows, by their `use:` name. */
export const PRICED_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'anthropic']);

/**
 * The price of `model` in the price table of `@pydantic/genai-prices`: the
 * data bundled with the installed package, never fetched (its auto-update is
 * opt-in, and this never opts in). The provider is found by its `base_url`
 * when it has one (the table knows the API addresses of many OpenAI-compatible
 * services; a local server it does not know has no price), else by `use:`.
 * Returns undefined when the table does not know the model.
 *
 * A price that rises past a prompt size (a long-context tier) is taken at its
 * base: the tier a run's prompts fall in is not known before the run.
 */
export async function tablePrice(
  use: string,
  model: string,
  baseUrl: string | undefined,
): Promise<TablePrice | undefined> {
  // Loaded only when a profile needs it: the table is large, and most checks never do.
  const { calcPrice } = await import('@pydantic/genai-prices');
  const found = calcPrice(
    { input_tokens: 0, output_tokens: 0 },
    model,
    baseUrl === undefined ? { providerId: use } : { providerApiUrl: baseUrl },
  );
  if (found === null) return undefined;
  const prices = found.model_price;
  const input = perMillion(prices.input_mtok);
  const output = perMillion(prices.output_mtok);
  if (input === undefined || output === undefined) return undefined;
  const cacheRead = perMillion(prices.cache_read_mtok);
  const cacheWrite = perMillion(prices.cache_write_mtok);
  return {
    inputPerMillion: input,
    outputPerMillion: output,
    ...(cacheRead !== undefined && { cacheReadPerMillion: cacheRead }),
    ...(cacheWrite !== undefined && { cacheWritePerMillion: cacheWrite }),
    // Every price of the table is in US dollars.
    currency: 'USD',
  };
}

/** A table price per million tokens: a plain number, or the base of a tiered price. */
function perMillion(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'base' in value) {
    const { base } = value as { base: unknown };
    return typeof base === 'number' ? base : undefined;
  }
  return undefined;
}
