/**
 * The Messages API parameters a profile's `params` may set, by the name the API
 * uses. Each may also be written in camelCase (`max_tokens` or `maxTokens`), and
 * `stop` (a string or a list) is taken as `stop_sequences`.
 */
export const ANTHROPIC_MESSAGE_PARAMS = [
  'max_tokens',
  'stop_sequences',
  'metadata',
  'thinking',
  'output_config',
  'service_tier',
  'speed',
  'inference_geo',
] as const;

import { type PromptCacheSetting, toPromptCacheSetting } from './prompt-cache-setting.js';

/** Messages API body fields from a profile's `params`, with `max_tokens` always set. */
export interface AnthropicParams extends Record<string, unknown> {
  max_tokens: number;
}

/**
 * What {@link checkAnthropicParams} found: the body fields (and the
 * `prompt_cache` setting, when the params give one: it is the provider's to
 * act on, never a body field), or why the params would be refused.
 */
export type AnthropicParamsCheck =
  | { ok: true; body: AnthropicParams; promptCache?: PromptCacheSetting }
  | { ok: false; message: string };

/** The name of the escape hatch for fields this list does not know. */
const EXTRA_BODY = 'extra_body';

/** The param that turns prompt caching off or chooses its time-to-live: read by the provider, not sent. */
const PROMPT_CACHE = 'prompt_cache';

const camelCase = (name: string) =>
  name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map([
  ...[...ANTHROPIC_MESSAGE_PARAMS, EXTRA_BODY, PROMPT_CACHE].flatMap((name): [string, string][] => [
    [name, name],
    [camelCase(name), name],
  ]),
  ['stop', 'stop_sequences'],
]);

/**
 * Checks a profile's `params` as a call would, without the SDK or anything
 * else loaded (this module imports nothing, so a checker such as
 * `multi-context validate` stays light): known names pass through (camelCase
 * spellings become snake_case), `max_tokens` falls back to
 * `defaultMaxTokens`, `extra_body` is merged in as is, `prompt_cache` (`on`,
 * `off`, `5m`, `1h`) is returned apart as `promptCache`, and anything else is
 * refused, so a typo never silently changes a run.
 *
 * @example
 * import { checkAnthropicParams } from '@multi-context/provider-anthropic/params';
 * const checked = checkAnthropicParams({ temperature: 0.2 }, 4096, 'claude');
 * if (!checked.ok) console.error(checked.message); // claude: unknown parameter "temperature" ...
 */
export function checkAnthropicParams(
  params: Readonly<Record<string, unknown>>,
  defaultMaxTokens: number,
  providerId: string,
): AnthropicParamsCheck {
  const body: Record<string, unknown> = {};
  const spellings = new Map<string, string>();
  let extra: Record<string, unknown> = {};
  let promptCache: PromptCacheSetting | undefined;
  const fail = (message: string): AnthropicParamsCheck => ({
    ok: false,
    message: `${providerId}: ${message}`,
  });
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = CANONICAL_NAMES.get(key);
    if (name === undefined) {
      return fail(
        `unknown parameter "${key}". Known: ${[...ANTHROPIC_MESSAGE_PARAMS, PROMPT_CACHE].join(', ')}; ` +
          `put other body fields in "${EXTRA_BODY}".`,
      );
    }
    const earlier = spellings.get(name);
    if (earlier !== undefined) {
      return fail(`parameter "${name}" is given twice (as "${earlier}" and "${key}").`);
    }
    spellings.set(name, key);
    if (name === EXTRA_BODY) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(`parameter "${key}" must be an object of body fields.`);
      }
      extra = { ...(value as Record<string, unknown>) };
    } else if (name === PROMPT_CACHE) {
      promptCache = toPromptCacheSetting(value);
      if (promptCache === undefined) {
        return fail(
          `parameter "${key}" must be on, off, 5m or 1h (the cache's time-to-live), got ${JSON.stringify(value)}.`,
        );
      }
    } else if (name === 'stop_sequences' && typeof value === 'string') {
      body[name] = [value];
    } else {
      body[name] = value;
    }
  }
  const maxTokens = body.max_tokens ?? defaultMaxTokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return fail(`max_tokens must be a positive integer, got ${JSON.stringify(maxTokens)}.`);
  }
  return {
    ok: true,
    body: { ...extra, ...body, max_tokens: maxTokens },
    ...(promptCache !== undefined && { promptCache }),
  };
}
