/**
 * The Chat Completions parameters a profile's `params` may set, by the name the
 * API uses. Each may also be written in camelCase (`top_p` or `topP`).
 */
export const OPENAI_CHAT_PARAMS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'metadata',
  'store',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'safety_identifier',
] as const;

/**
 * Whether the provider sends a `prompt_cache_key` of its own (`on`) or not
 * (`off`): a profile's `prompt_cache` param, read by the provider, not sent.
 */
export type OpenAIPromptCache = 'on' | 'off';

/** What {@link checkOpenAIParams} found: the body fields, or why the params would be refused. */
export type OpenAIParamsCheck =
  | { ok: true; body: Record<string, unknown>; promptCache?: OpenAIPromptCache }
  | { ok: false; message: string };

/** The name of the escape hatch for fields only some servers know (e.g. vLLM's `top_k`). */
const EXTRA_BODY = 'extra_body';

/** The profile switch of prompt caching: read by the provider, never sent. */
const PROMPT_CACHE = 'prompt_cache';

const camelCase = (name: string) =>
  name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map(
  [...OPENAI_CHAT_PARAMS, EXTRA_BODY, PROMPT_CACHE].flatMap((name) => [
    [name, name],
    [camelCase(name), name],
  ]),
);

/**
 * Checks a profile's `params` as a call would, without the SDK or anything
 * else loaded (this module imports nothing, so a checker such as
 * `multi-context validate` stays light): known names pass through (camelCase
 * spellings become snake_case), `extra_body` is merged in as is,
 * `prompt_cache` (`on` or `off`: whether the provider sends a
 * `prompt_cache_key` of its own) is returned apart, and anything else is refused, so a typo never silently changes a run.
 *
 * @example
 * import { checkOpenAIParams } from '@multi-context/provider-openai/params';
 * const checked = checkOpenAIParams({ temprature: 0.2 }, 'openai');
 * if (!checked.ok) console.error(checked.message); // Unknown parameter "temprature" ...
 */
export function checkOpenAIParams(
  params: Readonly<Record<string, unknown>>,
  providerId: string,
): OpenAIParamsCheck {
  const body: Record<string, unknown> = {};
  const spellings = new Map<string, string>();
  let extra: Record<string, unknown> = {};
  let promptCache: OpenAIPromptCache | undefined;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = CANONICAL_NAMES.get(key);
    if (name === undefined) {
      return {
        ok: false,
        message:
          `Unknown parameter "${key}" for provider "${providerId}". Known: ${[...OPENAI_CHAT_PARAMS, PROMPT_CACHE].join(', ')}; ` +
          `put fields that only your server knows in "${EXTRA_BODY}".`,
      };
    }
    const earlier = spellings.get(name);
    if (earlier !== undefined) {
      return {
        ok: false,
        message: `Parameter "${name}" is given twice for provider "${providerId}" (as "${earlier}" and "${key}").`,
      };
    }
    spellings.set(name, key);
    if (name === PROMPT_CACHE) {
      promptCache =
        value === true || value === 'on'
          ? 'on'
          : value === false || value === 'off'
            ? 'off'
            : undefined;
      if (promptCache === undefined) {
        return {
          ok: false,
          message:
            `Parameter "${key}" for provider "${providerId}" must be on or off, got ${JSON.stringify(value)}: ` +
            'OpenAI caches prefixes on its own and chooses how long; set its prompt_cache_retention or prompt_cache_options in params to ask for more.',
        };
      }
    } else if (name !== EXTRA_BODY) {
      body[name] = value;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      extra = { ...(value as Record<string, unknown>) };
    } else {
      return {
        ok: false,
        message: `Parameter "${key}" for provider "${providerId}" must be an object of body fields.`,
      };
    }
  }
  return {
    ok: true,
    body: { ...extra, ...body },
    ...(promptCache !== undefined && { promptCache }),
  };
}
