import { z } from 'zod';
import { expecting } from './expectations.js';
import { DEFAULT_CONTINUE_ON_ERROR, DEFAULT_MAX_CONTEXT_HISTORY } from './workflow.js';

const maxContextHistory = expecting(
  z
    .number()
    .int()
    .nonnegative()
    .default(DEFAULT_MAX_CONTEXT_HISTORY)
    .meta({ description: 'How many of the newest messages each context keeps.' }),
  'a non-negative integer',
);
const continueOnError = expecting(
  z.boolean().default(DEFAULT_CONTINUE_ON_ERROR).meta({
    description: 'false: stop after the phase in which a task failed.',
  }),
  'true or false',
);

/** The `config` section of a workflow file. */
export const configFileSchema = z
  .strictObject({ max_context_history: maxContextHistory, continue_on_error: continueOnError })
  .meta({ title: 'Config' });

/** The `config` of `defineWorkflow`. */
export const configInputSchema = z.strictObject({ maxContextHistory, continueOnError });
