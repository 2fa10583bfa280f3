import type { Attributes } from '@opentelemetry/api';
import { GenAI, MultiContext } from './gen-ai-attributes.js';

/** Token counts as events and providers report them: `inputTokens` leaves out cache reads and writes. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cost?: number;
}

/**
 * The `gen_ai.usage.*` attributes of a usage. The conventions count cached
 * tokens inside `gen_ai.usage.input_tokens`, and ours apart from it: the input
 * here is their sum, and the cache reads and writes are also given alone.
 */
export function usageAttributes(usage: TokenUsage): Attributes {
  const read = usage.cacheReadTokens;
  const written = usage.cacheWriteTokens;
  const attributes: Attributes = {
    [GenAI.USAGE_INPUT_TOKENS]: usage.inputTokens + (read ?? 0) + (written ?? 0),
    [GenAI.USAGE_OUTPUT_TOKENS]: usage.outputTokens,
  };
  if (read !== undefined) attributes[GenAI.USAGE_CACHE_READ_INPUT_TOKENS] = read;
  if (written !== undefined) attributes[GenAI.USAGE_CACHE_CREATION_INPUT_TOKENS] = written;
  if (usage.cost !== undefined) attributes[MultiContext.COST] = usage.cost;
  return attributes;
}
