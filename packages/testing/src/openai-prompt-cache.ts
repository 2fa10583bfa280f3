import { approximateTokens } from './approximate-tokens.js';

/** How the OpenAI-wire server bills a request's prompt. */
export interface OpenAICacheBill {
  /** `prompt_tokens` minus `cached_tokens`. */
  inputTokens: number;
  /** `prompt_tokens_details.cached_tokens` */
  cacheReadTokens: number;
}

/** OpenAI caches nothing shorter than this many tokens. */
const MIN_CACHED_TOKENS = 1024;
/** Beyond the minimum, cache hits grow in steps of this many tokens. */
const CACHE_STEP_TOKENS = 128;
/** Prompts remembered per key: enough for a benchmark's contexts, bounded for a long test. */
const REMEMBERED_PROMPTS = 64;

/**
 * OpenAI's automatic prompt cache as a local server can bill it: the
 * prompt (tools then messages, as JSON text) shares a prefix with an earlier
 * prompt of the same model and `prompt_cache_key` (requests without one
 * share a pool); `cached_tokens` is that prefix in approximate tokens (see
 * `approximateTokens`), when it is at least 1,024, rounded down to the API's
 * steps of 128 beyond that. Prompts of 1,024 tokens or more are remembered.
 */
export class OpenAIPromptCache {
  readonly #prompts = new Map<string, string[]>();

  /** Bills one request body and remembers its prompt. */
  bill(body: Record<string, unknown>): OpenAICacheBill {
    const prompt = JSON.stringify([body.tools ?? [], body.messages ?? []]);
    const key = JSON.stringify([body.model, body.prompt_cache_key ?? null]);
    const earlier = this.#prompts.get(key) ?? [];
    const shared = Math.max(0, ...earlier.map((text) => commonPrefixLength(text, prompt)));
    const sharedTokens = Math.floor(shared / 4);
    const cached =
      sharedTokens < MIN_CACHED_TOKENS
        ? 0
        : MIN_CACHED_TOKENS +
          Math.floor((sharedTokens - MIN_CACHED_TOKENS) / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS;
    const total = approximateTokens(prompt);
    if (total >= MIN_CACHED_TOKENS) {
      this.#prompts.set(key, [...earlier, prompt].slice(-REMEMBERED_PROMPTS));
    }
    return { inputTokens: total - cached, cacheReadTokens: cached };
  }
}

function commonPrefixLength(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
