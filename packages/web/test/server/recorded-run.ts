import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow, type Workflow } from '@multi-context/workflow';
import { lastValueFrom, toArray } from 'rxjs';

/** A small workflow: two parallel tasks, then one that follows. */
export const testWorkflow: Workflow = defineWorkflow({
  name: 'Server test',
  phases: [
    {
      name: 'Draft',
      executionMode: 'parallel',
      tasks: [
        { contextName: 'ideas', prompt: 'Three ideas' },
        { contextName: 'risks', prompt: 'Three risks' },
      ],
    },
    { name: 'Review', tasks: [{ contextName: 'ideas', prompt: 'Pick one' }] },
  ],
});

/** The events of one real run of {@link testWorkflow} (an echo provider that streams three pieces). */
export async function recordRun(
  runId: string,
): Promise<{ workflow: Workflow; events: RunEvent[] }> {
  const echo = defineProvider({
    id: 'echo',
    complete: async ({ prompt }) => `heard: ${prompt}`,
  });
  const orchestrator = new MultiContextOrchestrator({ providers: { echo } });
  const run = orchestrator.run(testWorkflow, { runId });
  const events = lastValueFrom(run.events$.pipe(toArray()));
  await run.result;
  return { workflow: testWorkflow, events: await events };
}
