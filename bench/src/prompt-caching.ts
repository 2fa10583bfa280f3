// Prompt caching (issue 16): 10 contexts x 20 turns, each call with a
// ~3,000-token system prompt, against a local server that speaks Anthropic's
// wire format and bills cache reads and writes as the API does (from the
// request's cache_control breakpoints, 1,024-token minimum, 5-minute life),
// once with caching (the provider's default) and once with the profile's
// prompt_cache: off. The billed input cost counts cache reads at 0.1x and
// cache writes at 1.25x the input price, as Anthropic bills them. Then the
// same workflow against an OpenAI-wire server, which reports cached_tokens
// for repeated prefixes of 1,024 tokens and more per prompt_cache_key: the
// share of input tokens it served from its cache.
import { MultiContextOrchestrator } from '@multi-context/core';
import type { WorkflowResult } from '@multi-context/events';
import type { Provider } from '@multi-context/provider';
import { createAnthropicProvider } from '@multi-context/provider-anthropic';
import { createOpenAIProvider } from '@multi-context/provider-openai';
import { type ChatServer, startChatServer } from '@multi-context/testing';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { scenario } from './scenario.js';

const contexts = Number(process.argv[2] ?? 10);
const turns = Number(process.argv[3] ?? 20);

/** About 3,000 tokens at the test servers' four characters a token. */
const SYSTEM =
  `${'You are a meticulous technical reviewer. Check every claim, cite the section, and keep a running list of open questions. '.repeat(102)}`.slice(
    0,
    12_000,
  );
/** An answer of about 100 tokens, streamed in pieces. */
const ANSWER = Array.from({ length: 10 }, (_, i) =>
  `Point ${i + 1}: the section holds up. `.padEnd(40, '.'),
);

/** Anthropic's cache prices, as multiples of the input price. */
const CACHE_READ_PRICE = 0.1;
const CACHE_WRITE_PRICE = 1.25;

function workflow(): Workflow {
  // One phase per turn: the turn's tasks, one per context, in parallel.
  return defineWorkflow({
    name: 'prompt caching',
    defaultProfile: 'reviewer',
    phases: Array.from({ length: turns }, (_, turn) => ({
      name: `turn ${turn + 1}`,
      executionMode: 'parallel' as const,
      tasks: Array.from({ length: contexts }, (_, c) => ({
        contextName: `chapter-${c + 1}`,
        prompt: `Turn ${turn + 1}: review section ${turn + 1} of chapter ${c + 1}, and say what changed since the last section.`,
      })),
    })),
  });
}

async function runOnce(
  provider: Provider,
  params: Record<string, unknown>,
): Promise<WorkflowResult> {
  const orchestrator = new MultiContextOrchestrator({
    providers: { model: provider },
    profiles: { reviewer: { provider: 'model', model: 'm', system: SYSTEM, params } },
  });
  const run = orchestrator.run(workflow());
  const result = await run.result;
  if (!result.success)
    throw new Error(
      `a task failed: ${JSON.stringify(result.phases.flatMap((p) => p.results.filter((r) => !r.success)).at(0))}`,
    );
  return result;
}

/** What the server billed, summed over its calls: it must agree with what the run counted. */
function billed(server: ChatServer) {
  const sum = { input: 0, read: 0, write: 0 };
  for (const call of server.calls) {
    sum.input += call.billed!.inputTokens;
    sum.read += call.billed!.cacheReadTokens ?? 0;
    sum.write += call.billed!.cacheWriteTokens ?? 0;
  }
  return sum;
}

await scenario(async () => {
  const anthropic = async (promptCache: 'on' | 'off') => {
    const server = await startChatServer({
      wire: 'anthropic',
      promptCache: { minTokens: 1024 },
      reply: () => ({ answer: ANSWER }),
    });
    try {
      const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: server.baseURL });
      const result = await runOnce(provider, { prompt_cache: promptCache });
      const { inputTokens, cacheReadTokens = 0, cacheWriteTokens = 0 } = result.usage;
      const bill = billed(server);
      if (
        bill.input !== inputTokens ||
        bill.read !== cacheReadTokens ||
        bill.write !== cacheWriteTokens
      ) {
        throw new Error(
          `the run counted ${JSON.stringify(result.usage)}, the server billed ${JSON.stringify(bill)}`,
        );
      }
      return {
        inputTokens,
        cacheReadTokens,
        cacheWriteTokens,
        // In units of the input price per token.
        cost:
          inputTokens + CACHE_READ_PRICE * cacheReadTokens + CACHE_WRITE_PRICE * cacheWriteTokens,
        calls: server.calls.length,
      };
    } finally {
      await server.close();
    }
  };
  const cached = await anthropic('on');
  const uncached = await anthropic('off');

  const server = await startChatServer({
    wire: 'openai',
    promptCache: true,
    reply: () => ({ answer: ANSWER }),
  });
  let openai: WorkflowResult;
  try {
    // A local server is not the OpenAI API: the key is asked for (the API itself gets it by default).
    const provider = createOpenAIProvider({
      apiKey: 'bench',
      baseURL: server.baseURL,
      promptCache: 'on',
    });
    openai = await runOnce(provider, {});
  } finally {
    await server.close();
  }
  const openaiRead = openai.usage.cacheReadTokens ?? 0;
  const openaiInput = openai.usage.inputTokens + openaiRead;

  const lower = 1 - cached.cost / uncached.cost;
  return {
    name: `prompt caching, ${contexts} contexts x ${turns} turns, ~3,000-token system prompt`,
    anthropicCalls: cached.calls,
    uncachedInputTokens: uncached.inputTokens,
    cachedInputTokens: cached.inputTokens,
    cacheReadTokens: cached.cacheReadTokens,
    cacheWriteTokens: cached.cacheWriteTokens,
    billedInputCostUncached: Math.round(uncached.cost),
    billedInputCostCached: Math.round(cached.cost),
    costLowerPercent: Math.round(lower * 1000) / 10,
    openaiInputTokens: openaiInput,
    openaiCachedTokens: openaiRead,
    openaiCachedSharePercent: Math.round((openaiRead / openaiInput) * 1000) / 10,
  };
});
