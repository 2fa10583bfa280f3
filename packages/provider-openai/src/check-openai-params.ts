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
  'safety_identifier',
] as const;

/** What {@link checkOpenAIParams} found: the body fields, or why the params would be refused. */
export type OpenAIParamsCheck =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; message: string };

/** The name of the escape hatch for fields only some servers know (e.g. vLLM's `top_k`). */
const EXTRA_BODY = 'extra_body';

const camelCase = (name: string) =>
  name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map(
  [...OPENAI_CHAT_PARAMS, EXTRA_BODY].flatMap((name) => [
    [name, name],
    [camelCase(name), name],
  ]),
);

/**
 * Checks a profile's `params` as a call would, without the SDK or anything
 * else loaded (this module imports nothing, so a checker such as
 * `multi-context validate` stays light): known names pass through (camelCase
 * spellings become snake_case), `extra_body` is merged in as is, and anything
 * else is refused, so a typo never silently changes a run.
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
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = CANONICAL_NAMES.get(key);
    if (name === undefined) {
      return {
        ok: false,
        message:
          `Unknown parameter "${key}" for provider "${providerId}". Known: ${OPENAI_CHAT_PARAMS.join(', ')}; ` +
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
    if (name !== EXTRA_BODY) {
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
  return { ok: true, body: { ...extra, ...body } };
}
