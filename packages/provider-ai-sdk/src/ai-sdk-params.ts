import { ProviderError } from '@multi-context/provider';
import type { streamText } from 'ai';

/** The settings of `streamText` a profile's `params` may set. */
export type AISDKCallParams = Pick<
  Parameters<typeof streamText>[0],
  | 'maxOutputTokens'
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'presencePenalty'
  | 'frequencyPenalty'
  | 'stopSequences'
  | 'seed'
  | 'headers'
  | 'providerOptions'
>;

/**
 * Every name a profile's `params` may use, and the `streamText` setting it
 * sets: the AI SDK's own camelCase names, their snake_case spellings, and the
 * names other providers use (`max_tokens`, `stop`).
 */
const SETTING_NAMES: ReadonlyMap<string, keyof AISDKCallParams> = new Map([
  ['maxOutputTokens', 'maxOutputTokens'],
  ['max_output_tokens', 'maxOutputTokens'],
  ['maxTokens', 'maxOutputTokens'],
  ['max_tokens', 'maxOutputTokens'],
  ['temperature', 'temperature'],
  ['topP', 'topP'],
  ['top_p', 'topP'],
  ['topK', 'topK'],
  ['top_k', 'topK'],
  ['presencePenalty', 'presencePenalty'],
  ['presence_penalty', 'presencePenalty'],
  ['frequencyPenalty', 'frequencyPenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
  ['stopSequences', 'stopSequences'],
  ['stop_sequences', 'stopSequences'],
  ['stop', 'stopSequences'],
  ['seed', 'seed'],
  ['headers', 'headers'],
  ['providerOptions', 'providerOptions'],
  ['provider_options', 'providerOptions'],
]);

/** The settings a profile's `params` may set, by their AI SDK names. */
export const AI_SDK_CALL_PARAMS: readonly (keyof AISDKCallParams)[] = [
  ...new Set(SETTING_NAMES.values()),
];

/**
 * Turns a profile's `params` into `streamText` call settings. Unknown names
 * are an error, so a typo never silently changes a run.
 */
export function toCallParams(
  params: Readonly<Record<string, unknown>>,
  providerId: string,
): AISDKCallParams {
  const settings: Record<string, unknown> = {};
  const spellings = new Map<string, string>();
  const fail = (message: string): never => {
    throw new ProviderError({ message: `${providerId}: ${message}`, providerId });
  };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = SETTING_NAMES.get(key);
    if (name === undefined) {
      return fail(
        `unknown parameter "${key}". Known: ${AI_SDK_CALL_PARAMS.join(', ')}; ` +
          'put provider-specific settings in "providerOptions".',
      );
    }
    const earlier = spellings.get(name);
    if (earlier !== undefined)
      fail(`parameter "${name}" is given twice (as "${earlier}" and "${key}").`);
    spellings.set(name, key);
    settings[name] = name === 'stopSequences' && typeof value === 'string' ? [value] : value;
  }
  return settings as AISDKCallParams;
}
