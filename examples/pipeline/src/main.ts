// Runs the pipeline on the offline provider and prints what happened.
import { startPipeline } from './pipeline.js';

const run = await startPipeline(process.argv[2]);
run.on('task:start', (e) => console.log(`→ ${e.taskId}: ${e.prompt.split('\n')[0]!.slice(0, 90)}`));
run.on('task:retry', (e) =>
  console.log(`  ↻ ${e.taskId} attempt ${e.attempt}: ${e.error.message.slice(0, 100)}`),
);
run.on('context:trim', (e) =>
  console.log(
    `  ✂ ${e.contextName}: ${e.removed} message(s) ${e.summary ? 'condensed into a summary' : 'left out'}`,
  ),
);
run.on('task:end', (e) =>
  console.log(
    `  ${e.status === 'succeeded' ? '✔' : '✘'} ${e.taskId} (${e.attempts} attempt${e.attempts === 1 ? '' : 's'})`,
  ),
);
const result = await run.result;
const planned = result.phases[1]?.results[0]?.json;
console.log(
  `\n${result.status}: ${result.successfulTasks}/${result.totalTasks} tasks; plan: ${JSON.stringify(planned)}`,
);
