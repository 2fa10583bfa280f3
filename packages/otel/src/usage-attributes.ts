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

/**
 * What `total` has beyond `part`: the usage of a task's last model call, once
 * the calls of its tool steps (each on its own span) are taken away.
 */
export function usageBeyond(total: TokenUsage, part: TokenUsage): TokenUsage {
  const rest: TokenUsage = {
    inputTokens: Math.max(0, total.inputTokens - part.inputTokens),
    outputTokens: Math.max(0, total.outputTokens - part.outputTokens),
  };
  if (total.cacheReadTokens !== undefined)
    rest.cacheReadTokens = Math.max(0, total.cacheReadTokens - (part.cacheReadTokens ?? 0));
  if (total.cacheWriteTokens !== undefined)
    rest.cacheWriteTokens = Math.max(0, total.cacheWriteTokens - (part.cacheWriteTokens ?? 0));
  if (total.cost !== undefined) rest.cost = Math.max(0, total.cost - (part.cost ?? 0));
  return rest;
}

/** `more` added to `sum` (a new object); `sum` may be missing. */
export function addTokenUsage(sum: TokenUsage | undefined, more: TokenUsage): TokenUsage {
  if (sum === undefined) return { ...more };
  const out: TokenUsage = {
    inputTokens: sum.inputTokens + more.inputTokens,
    outputTokens: sum.outputTokens + more.outputTokens,
  };
  if (sum.cacheReadTokens !== undefined || more.cacheReadTokens !== undefined)
    out.cacheReadTokens = (sum.cacheReadTokens ?? 0) + (more.cacheReadTokens ?? 0);
  if (sum.cacheWriteTokens !== undefined || more.cacheWriteTokens !== undefined)
    out.cacheWriteTokens = (sum.cacheWriteTokens ?? 0) + (more.cacheWriteTokens ?? 0);
  if (sum.cost !== undefined || more.cost !== undefined)
    out.cost = (sum.cost ?? 0) + (more.cost ?? 0);
  return out;
}
