import { ProviderError } from '@multi-context/provider';
import { checkOpenAIParams, type OpenAIParamsCheck } from './check-openai-params.js';

/**
 * Turns a profile's `params` into Chat Completions body fields, as
 * {@link checkOpenAIParams} does.
 *
 * @throws ProviderError (not retryable) for a param the API would not take.
 */
export function toOpenAIParams(
  params: Readonly<Record<string, unknown>>,
  providerId: string,
): Record<string, unknown> {
  const checked = checkOpenAIParams(params, providerId);
  if (!checked.ok) throw new ProviderError({ message: checked.message, providerId });
  return checked.body;
}

/**
 * The checked params, body fields and `prompt_cache` setting apart.
 *
 * @throws ProviderError (not retryable) for a param the API would not take.
 */
export function checkedParams(
  params: Readonly<Record<string, unknown>>,
  providerId: string,
): Extract<OpenAIParamsCheck, { ok: true }> {
  const checked = checkOpenAIParams(params, providerId);
  if (!checked.ok) throw new ProviderError({ message: checked.message, providerId });
  return checked;
}
