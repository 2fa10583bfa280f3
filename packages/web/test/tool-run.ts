// A real run whose task calls tools (core's agent loop, the offline provider
// scripting the model's calls), so the view's tool tests read the events core
// emits rather than hand-made ones.

import { MultiContextOrchestrator, type Tool } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';

/** How long the `fetch_page` tool's result is: far over what the view keeps of it. */
export const PAGE_LENGTH = 250_000;

const anyObject = { type: 'object', additionalProperties: true };

const tools: Record<string, Tool> = {
  lookup: {
    name: 'lookup',
    description: 'finds a fact',
    inputSchema: anyObject,
    execute: async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return { fact: `${(input as { q: string }).q} is a reactive library` };
    },
  },
  broken: {
    name: 'broken',
    description: 'always fails',
    inputSchema: anyObject,
    execute: () => {
      throw new Error('the index is offline');
    },
  },
  fetch_page: {
    name: 'fetch_page',
    description: 'a very long page',
    inputSchema: anyObject,
    execute: () => 'x'.repeat(PAGE_LENGTH),
  },
};

const workflow = parseWorkflow(`
name: Tools
phases:
  - name: Research
    tasks:
      - { id: research, context_name: research, profile: agent, prompt: What is RxJS? }
`);

/**
 * Runs the `research` task: step 1 calls `lookup` and `broken` in parallel
 * (with what the model says beside them), step 2 calls `fetch_page` with long
 * arguments, then it answers.
 */
export async function recordToolRun(
  /** A record to resume instead of starting a new run: the events returned then continue it. */
  resumeFrom?: RunEvent[],
  /** How many of the model's answers the record holds: a resumed session is not given them again. */
  answered = 0,
): Promise<RunEvent[]> {
  const mock = createMockProvider({
    script: {
      research: [
        {
          text: 'Let me look that up.',
          toolCalls: [
            { name: 'lookup', input: { q: 'rxjs' } },
            { name: 'broken', input: { q: 'rxjs' } },
          ],
        },
        {
          toolCalls: [{ name: 'fetch_page', input: { url: `https://x.test/${'a'.repeat(9000)}` } }],
        },
        'RxJS is a reactive library.',
      ].slice(answered),
    },
  });
  const orchestrator = new MultiContextOrchestrator({
    providers: { mock },
    defaultProvider: 'mock',
    profiles: { agent: { provider: 'mock', tools: Object.keys(tools) } },
    tools,
  });
  const run =
    resumeFrom === undefined
      ? orchestrator.run(workflow)
      : orchestrator.resume(workflow, { events: resumeFrom });
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  await run.result;
  return JSON.parse(JSON.stringify(events)) as RunEvent[];
}
