import { z } from 'zod';
import { expecting, nonBlankString, positiveInteger } from './expectations.js';
import { taskFileSchema, taskInputSchema } from './task-schema.js';
import { DEFAULT_EXECUTION_MODE, EXECUTION_MODES } from './workflow.js';

const name = nonBlankString('The phase name, shown in events and results.');
const executionMode = expecting(
  z
    .enum(EXECUTION_MODES)
    .default(DEFAULT_EXECUTION_MODE)
    .meta({ description: 'parallel: the tasks run at once; sequential: one after another.' }),
  '"sequential" or "parallel"',
);
const maxConcurrency = positiveInteger(
  'How many tasks of this parallel phase run at once; config.max_concurrency when left out.',
);

function taskList<T extends z.ZodType>(task: T) {
  return expecting(
    z.array(task).min(1).meta({ description: 'The tasks of the phase (at least one).' }),
    'a list of at least one task',
  );
}

/** One phase as written in a workflow file. */
export const phaseFileSchema = z
  .strictObject({
    name,
    execution_mode: executionMode,
    max_concurrency: maxConcurrency.optional(),
    tasks: taskList(taskFileSchema),
  })
  .meta({ title: 'Phase' });

/** One phase as given to `defineWorkflow`. */
export const phaseInputSchema = z.strictObject({
  name,
  executionMode,
  maxConcurrency: maxConcurrency.optional(),
  tasks: taskList(taskInputSchema),
});
