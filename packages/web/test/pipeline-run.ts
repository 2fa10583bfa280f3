// Runs examples/pipeline/workflow.yaml for real (core + loader + the offline
// provider) and records its events and what every task's first call sent, so
// the view's tests check it against a run rather than hand-made events.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { EventMessage, RunEvent } from '@multi-context/events';
import { parseWorkflow } from '@multi-context/loader';
import type { Provider, ProviderRequest } from '@multi-context/provider';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import type { Workflow } from '@multi-context/workflow';

/** The example's workflow file. */
export const pipelinePath = fileURLToPath(
  new URL('../../../examples/pipeline/workflow.yaml', import.meta.url),
);

/** What a recorded run gives a test. */
export interface RecordedRun {
  events: RunEvent[];
  /** Per task id: the `history` of its first provider call (summary calls aside). */
  sent: Map<string, EventMessage[]>;
}

/** Wraps a provider so that every request it gets is recorded. */
function recording(provider: Provider, seen: ProviderRequest[]): Provider {
  return {
    ...provider,
    stream: (request) => {
      seen.push(request);
      return provider.stream(request);
    },
  };
}

/** An orchestrator on the offline provider (`mock`, and `small` for the condenser's summaries). */
export function offlineOrchestrator(
  options: MockProviderOptions = {},
  seen: ProviderRequest[] = [],
): MultiContextOrchestrator {
  return new MultiContextOrchestrator({
    providers: {
      mock: recording(createMockProvider(options), seen),
      small: recording(createMockProvider({ id: 'small' }), seen),
    },
    defaultProvider: 'mock',
    profiles: { condenser: { provider: 'small' } },
    retry: { initialDelayMs: 5 },
  });
}

/** Runs `workflow` on the offline provider with `options`, recording events and requests. */
export async function recordRun(
  workflow: Workflow,
  options: MockProviderOptions = {},
  inputs: Record<string, string> = {},
  /** A record to resume instead of starting a new run: the events returned then continue it. */
  resumeFrom?: RunEvent[],
): Promise<RecordedRun> {
  const seen: ProviderRequest[] = [];
  const orchestrator = offlineOrchestrator(options, seen);
  const run =
    resumeFrom === undefined
      ? orchestrator.run(workflow, { inputs })
      : orchestrator.resume(workflow, { events: resumeFrom, inputs });
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  await run.result;
  const sent = new Map<string, EventMessage[]>();
  for (const request of seen) {
    if (!sent.has(request.taskId)) sent.set(request.taskId, request.history.map(copy));
  }
  return { events: JSON.parse(JSON.stringify(events)) as RunEvent[], sent };
}

const copy = ({ role, content }: EventMessage): EventMessage => ({ role, content });

const plan = {
  title: 'Workflows that remember',
  sections: ['Why separate contexts', 'How phases hand results on', 'What to try first'],
};

/** The writer's answers, as the example scripts them (a plan that is not JSON first: a repair). */
export const writerScript = [
  `Sure! The title could be "${plan.title}", with three sections.`,
  JSON.stringify(plan),
  `# ${plan.title}\n\n${'Each context keeps its own conversation, so a planner and a reviewer never talk over each other. '.repeat(12)}`,
  'Contexts that remember, phases that hand results on: a short tour.',
];

/**
 * The example pipeline with a small `max_context_history` (so contexts trim)
 * and the `market` context failing its first attempt (so it retries); the
 * writer's and market's answers and the failure's message can be given (to put
 * hostile text in a response, a prompt and an error).
 */
export async function recordPipeline({
  maxHistory = 2,
  writer = writerScript,
  market,
  failureMessage = 'market research is overloaded (503)',
}: {
  maxHistory?: number;
  writer?: string[];
  /** The market context's answer (it feeds the plan's prompt). */
  market?: string;
  /** The message of the market context's failed first attempt. */
  failureMessage?: string;
} = {}): Promise<RecordedRun & { workflow: Workflow }> {
  const loaded = await loadPipeline(maxHistory);
  const recorded = await recordRun(
    loaded,
    {
      script: market === undefined ? { writer } : { writer, market },
      // Calls that take a while, as real ones do, so the timeline has something to show.
      latencyMs: [20, 60],
      chunkDelayMs: 2,
      seed: 3,
      failContexts: ['market'],
      failTimes: 1,
      failure: { status: 503, message: failureMessage },
    },
    { topic: 'multi-context workflows' },
  );
  return { ...recorded, workflow: loaded };
}

/** The example pipeline's workflow, with `max_context_history` set to `maxHistory`. */
export async function loadPipeline(maxHistory: number): Promise<Workflow> {
  const text = await readFile(pipelinePath, 'utf8');
  return parseWorkflow(
    text.replace('max_context_history: 50', `max_context_history: ${maxHistory}`),
    {
      source: pipelinePath,
    },
  );
}
