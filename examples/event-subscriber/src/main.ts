// Runs the demo workflow on the offline provider and prints what a subscriber saw.
import { fileURLToPath } from 'node:url';
import { MultiContextOrchestrator } from '@multi-context/core';
import { loadWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';
import { watchRun } from './watch-run.js';

const workflow = await loadWorkflow(
  fileURLToPath(new URL('../../demo/workflow.yaml', import.meta.url)),
);
const orchestrator = new MultiContextOrchestrator({
  providers: { mock: createMockProvider({ chunkDelayMs: 5 }) },
});
const run = orchestrator.run(workflow);
const digest = watchRun(run);
run.on('task:end', (end) => console.log(digest.log.at(-1) ?? end.taskId));
const result = await run.result;
console.log(
  `\n${result.status}: ${result.successfulTasks}/${result.totalTasks} tasks, ${digest.streamedCharacters} characters streamed, phases: ${digest.phases.join(' → ')}`,
);
