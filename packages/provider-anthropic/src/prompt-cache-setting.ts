/**
 * How a profile asks for prompt caching (its `prompt_cache`, carried in
 * `params`): `on` marks cache breakpoints with the API's default time-to-live
 * (5 minutes), `5m` and `1h` choose it, `off` marks none.
 */
export type PromptCacheSetting = 'off' | 'on' | '5m' | '1h';

/** The values `prompt_cache` takes, in the order messages list them. */
export const PROMPT_CACHE_SETTINGS: readonly PromptCacheSetting[] = ['on', 'off', '5m', '1h'];

/**
 * The setting a `prompt_cache` param gives, or undefined when it is not one.
 * `true` and `false` are taken for `on` and `off`, as code often writes them.
 */
export function toPromptCacheSetting(value: unknown): PromptCacheSetting | undefined {
  if (value === true) return 'on';
  if (value === false) return 'off';
  return PROMPT_CACHE_SETTINGS.find((setting) => setting === value);
}
