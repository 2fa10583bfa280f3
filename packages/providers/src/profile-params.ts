import type { ProfileSpec } from '@multi-context/workflow';

/** A setting of a profile that becomes one request param, with the key it is written under. */
export interface ProfileParam {
  /** The param's name, as providers spell it: snake_case, as the OpenAI and Anthropic APIs do. */
  name: string;
  value: unknown;
  /** Where it is written in the profile: `['temperature']`, or `['params', 'top_k']`. */
  path: readonly string[];
}

/** The profile settings that are request params, by their name in the profile and in the request. */
const TYPED_PARAMS: readonly (readonly [keyof ProfileSpec, string])[] = [
  ['temperature', 'temperature'],
  ['topP', 'top_p'],
  ['maxTokens', 'max_tokens'],
  ['stop', 'stop'],
  ['seed', 'seed'],
  // The provider reads this one and sends none of it (see the Anthropic and OpenAI providers).
  ['promptCache', 'prompt_cache'],
];

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * The request params of a profile: `temperature`, `top_p`, `max_tokens`,
 * `stop`, `seed` and `prompt_cache` from its own settings, then every entry of its `params`
 * as written. A setting given both ways (`max_tokens: 100` and
 * `params: { maxTokens: 200 }`) is returned in `clashes`, since one of the
 * two would silently lose.
 */
export function profileParams(profile: ProfileSpec): {
  params: ProfileParam[];
  clashes: { name: string; path: readonly string[] }[];
} {
  const params: ProfileParam[] = [];
  const typed = new Set<string>();
  for (const [key, name] of TYPED_PARAMS) {
    const value = profile[key];
    if (value === undefined) continue;
    typed.add(name);
    params.push({ name, value, path: [snakeCase(key)] });
  }
  const clashes: { name: string; path: readonly string[] }[] = [];
  for (const [key, value] of Object.entries(profile.params ?? {})) {
    const path = ['params', key];
    if (typed.has(snakeCase(key))) clashes.push({ name: snakeCase(key), path });
    else params.push({ name: key, value, path });
  }
  return { params, clashes };
}

/** The params as the object a profile sends: `{ temperature: 0.2, max_tokens: 512, ... }`. */
export function paramsObject(params: readonly ProfileParam[]): Record<string, unknown> {
  return Object.fromEntries(params.map(({ name, value }) => [name, value]));
}
