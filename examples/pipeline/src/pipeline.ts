import { fileURLToPath } from 'node:url';
import { MultiContextOrchestrator, type WorkflowRun } from '@multi-context/core';
import { loadWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';

/** The pipeline's workflow file. */
export const workflowPath = fileURLToPath(new URL('../workflow.yaml', import.meta.url));

const plan = {
  title: 'Workflows that remember',
  sections: ['Why separate contexts', 'How phases hand results on', 'What to try first'],
};

/**
 * The writer's answers, in order: a plan that is not JSON (sent back once
 * with the problem), the plan, the draft, and the newsletter line. Everything
 * else answers with the offline provider's default replies.
 */
const writerScript = [
  `Sure! The title could be "${plan.title}", with three sections.`,
  JSON.stringify(plan),
  `# ${plan.title}\n\n${'Each context keeps its own conversation, so a planner and a reviewer never talk over each other. '.repeat(12)}`,
  'Contexts that remember, phases that hand results on: a short tour.',
];

/** Starts the pipeline on the offline provider; `condenser` summaries come from a second instance. */
export async function startPipeline(topic = 'multi-context workflows'): Promise<WorkflowRun> {
  const workflow = await loadWorkflow(workflowPath);
  const orchestrator = new MultiContextOrchestrator({
    providers: {
      mock: createMockProvider({ script: { writer: writerScript } }),
      small: createMockProvider({ id: 'small' }),
    },
    defaultProvider: 'mock',
    profiles: { condenser: { provider: 'small' } },
    retry: { initialDelayMs: 10 },
  });
  return orchestrator.run(workflow, { inputs: { topic } });
}
