import { ProviderError } from '@multi-context/provider';
import {
  type AnthropicParams,
  type AnthropicParamsCheck,
  checkAnthropicParams,
} from './check-anthropic-params.js';

/**
 * Turns a profile's `params` into Messages API body fields, as
 * {@link checkAnthropicParams} does, with `max_tokens` always set.
 *
 * @throws ProviderError (not retryable) for a param the API would not take.
 */
export function toAnthropicParams(
  params: Readonly<Record<string, unknown>>,
  defaultMaxTokens: number,
  providerId: string,
): AnthropicParams {
  return checkedParams(params, defaultMaxTokens, providerId).body;
}

/**
 * The checked params, body fields and `prompt_cache` setting apart.
 *
 * @throws ProviderError (not retryable) for a param the API would not take.
 */
export function checkedParams(
  params: Readonly<Record<string, unknown>>,
  defaultMaxTokens: number,
  providerId: string,
): Extract<AnthropicParamsCheck, { ok: true }> {
  const checked = checkAnthropicParams(params, defaultMaxTokens, providerId);
  if (!checked.ok) throw new ProviderError({ message: checked.message, providerId });
  return checked;
}
