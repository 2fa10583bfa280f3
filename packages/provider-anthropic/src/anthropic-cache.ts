import type {
  CacheControlEphemeral,
  ContentBlockParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { TurnParam } from './anthropic-messages.js';
import type { PromptCacheSetting } from './prompt-cache-setting.js';

/** The API refuses a request with more blocks marked than this. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** The parts of a Messages request that cache breakpoints go on. */
export interface CacheablePrompt {
  system: string;
  messages: TurnParam[];
  tools: Tool[];
}

/** {@link CacheablePrompt} with its breakpoints: `system` as a text block when it carries one. */
export interface MarkedPrompt {
  system: string | TextBlockParam[];
  messages: TurnParam[];
  tools: Tool[];
}

/**
 * Marks cache breakpoints (`cache_control`) so that the next task of the same
 * context reads what this one sent from the prompt cache, instead of paying
 * for it again at the full input price:
 *
 * - the system prompt (or, without one, the last tool definition): the API
 *   caches in the order tools, system, messages, so this holds the part every
 *   call of the profile shares, even across contexts;
 * - the last block of each of the latest user messages, newest first, with
 *   the breakpoints left (three, or four without system and tools). The
 *   newest is written to the cache on this call; the ones before it are where
 *   the previous calls wrote theirs, so the prefix they end is read back.
 *   They move forward as the conversation grows.
 *
 * Never more than {@link MAX_CACHE_BREAKPOINTS}. `on` leaves the time-to-live
 * to the API (5 minutes); `5m` and `1h` name it; `off` returns the prompt
 * unmarked. The input is not changed.
 */
export function markCacheBreakpoints(
  prompt: CacheablePrompt,
  setting: PromptCacheSetting,
): MarkedPrompt {
  if (setting === 'off') return prompt;
  const control: CacheControlEphemeral =
    setting === 'on' ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: setting };
  let left = MAX_CACHE_BREAKPOINTS;
  let system: MarkedPrompt['system'] = prompt.system;
  let tools = prompt.tools;
  if (prompt.system !== '') {
    system = [{ type: 'text', text: prompt.system, cache_control: control }];
    left--;
  } else if (tools.length > 0) {
    tools = [...tools.slice(0, -1), { ...tools.at(-1)!, cache_control: control }];
    left--;
  }
  const messages = [...prompt.messages];
  for (let i = messages.length - 1; i >= 0 && left > 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    const blocks = blocksOf(message.content);
    // An empty message has no block to mark (the API refuses empty text blocks).
    if (blocks.length === 0) continue;
    const last = { ...blocks.at(-1)!, cache_control: control } as ContentBlockParam;
    messages[i] = { role: 'user', content: [...blocks.slice(0, -1), last] };
    left--;
  }
  return { system, messages, tools };
}

function blocksOf(content: TurnParam['content']): ContentBlockParam[] {
  if (typeof content !== 'string') return content;
  return content === '' ? [] : [{ type: 'text', text: content }];
}
