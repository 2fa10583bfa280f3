import type { ChatMessage, ProviderUsage } from '@multi-context/provider';

/** A deterministic token estimate: one token per four characters (UTF-16 code units), rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The usage a mock call reports: the input is every message sent (system,
 * history and prompt) counted as one text, the output is the reply.
 */
export function estimateUsage(messages: readonly ChatMessage[], reply: string): ProviderUsage {
  let characters = 0;
  for (const message of messages) characters += message.content.length;
  const inputTokens = Math.ceil(characters / 4);
  const outputTokens = estimateTokens(reply);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}
