import { MultiContextOrchestrator } from '@multi-context/core';
import { approximateTokens, startChatServer } from '@multi-context/testing';
import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from './index.js';

// A context that trims (max_tokens, dropping the oldest turns) through the
// orchestrator, against a server that bills caching as the API does: the
// prefix sent stays identical between two trims, so every call but the
// first after a trim reads all the previous call sent from the cache.

const SYSTEM = 'You review a long book one section at a time. '.repeat(10);
const ANSWER = ['The section ', 'reads well; ', 'two claims need a source. '];

/** A message as sent, its text only (the breakpoints move, the text does not). */
const textOf = (message: { role: string; content: unknown }) =>
  `${message.role}: ${
    typeof message.content === 'string'
      ? message.content
      : (message.content as { text?: string }[]).map((block) => block.text ?? '').join('')
  }`;

describe('Anthropic prompt caching with a trimming context', () => {
  it('keeps the prefix between two trims, and reads it back from the cache', async () => {
    const server = await startChatServer({
      wire: 'anthropic',
      promptCache: { minTokens: 20 },
      reply: () => ({ answer: ANSWER }),
    });
    try {
      const orchestrator = new MultiContextOrchestrator({
        providers: { claude: createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL }) },
        profiles: { reviewer: { provider: 'claude', model: 'claude-sonnet-5-5', system: SYSTEM } },
      });
      const workflow = defineWorkflow({
        name: 'book',
        defaultProfile: 'reviewer',
        contexts: { book: { maxTokens: 400 } },
        phases: [
          {
            name: 'review',
            tasks: Array.from({ length: 24 }, (_, i) => ({
              contextName: 'book',
              prompt: `Review section ${i + 1} of the book, and list what changed since section ${i}.`,
            })),
          },
        ],
      });
      const run = orchestrator.run(workflow);
      const events: { type: string }[] = [];
      run.events$.subscribe((event) => events.push(event));
      expect((await run.result).success).toBe(true);

      const trims = events.filter((event) => event.type === 'context:trim');
      expect(trims.length).toBeGreaterThanOrEqual(2);
      const sent = server.calls.map((call) =>
        (call.body.messages as { role: string; content: unknown }[]).map(textOf),
      );
      // Where a call does not begin with everything the call before it sent: the trims, and only them.
      const breaks = sent.flatMap((messages, i) =>
        i > 0 && sent[i - 1]!.some((text, j) => messages[j] !== text) ? [i] : [],
      );
      expect(breaks).toHaveLength(trims.length);
      // Most calls keep the prefix: far fewer breaks than calls since the first trim.
      expect(breaks.length).toBeLessThan((server.calls.length - breaks[0]!) / 2);

      const billed = server.calls.map((call) => call.billed!);
      const systemOnly = approximateTokens(SYSTEM);
      for (let i = 1; i < billed.length; i++) {
        const before = billed[i - 1]!;
        if (breaks.includes(i)) {
          // A trim changed the history's head: only the system prompt is read back.
          expect(billed[i]!.cacheReadTokens).toBe(systemOnly);
        } else {
          // Everything the call before wrote or read, up to its last breakpoint, is read.
          expect(billed[i]!.cacheReadTokens).toBe(
            before.cacheReadTokens! + before.cacheWriteTokens!,
          );
        }
      }
    } finally {
      await server.close();
    }
  });
});
