import { ProviderError } from '@multi-context/provider';

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
 * Turns a profile's `params` into Chat Completions body fields: known names
 * pass through (camelCase spellings become snake_case), `extra_body` is merged
 * in as is, and anything else is an error, so a typo never silently changes a
 * run.
 */
export function toOpenAIParams(
  params: Readonly<Record<string, unknown>>,
  providerId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const spellings = new Map<string, string>();
  let extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = CANONICAL_NAMES.get(key);
    if (name === undefined) {
      throw new ProviderError({
        message:
          `Unknown parameter "${key}" for provider "${providerId}". Known: ${OPENAI_CHAT_PARAMS.join(', ')}; ` +
          `put fields that only your server knows in "${EXTRA_BODY}".`,
        providerId,
      });
    }
    const earlier = spellings.get(name);
    if (earlier !== undefined) {
      throw new ProviderError({
        message: `Parameter "${name}" is given twice for provider "${providerId}" (as "${earlier}" and "${key}").`,
        providerId,
      });
    }
    spellings.set(name, key);
    if (name !== EXTRA_BODY) {
      body[name] = value;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      extra = { ...(value as Record<string, unknown>) };
    } else {
      throw new ProviderError({
        message: `Parameter "${key}" for provider "${providerId}" must be an object of body fields.`,
        providerId,
      });
    }
  }
  return { ...extra, ...body };
}
