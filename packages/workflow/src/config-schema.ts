import { z } from 'zod';
import { durationSchema, millisecondsSchema } from './duration.js';
import { expecting, nonNegativeInteger, positiveInteger } from './expectations.js';
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
const maxConcurrency = positiveInteger(
  'How many tasks of a parallel phase run at once, for phases that do not say.',
);
const retries = nonNegativeInteger(
  'How many times a retryable failure is retried, for tasks and profiles that do not say.',
);
const timeoutDescription = 'Bound of each attempt, for tasks and profiles that do not say.';
const maxCost = expecting(
  z.number().positive().meta({
    description:
      "The run's budget, in the currency of its prices: once its cost reaches this, no new task starts and the tasks in flight finish; the run ends cancelled (reason budget) and can be resumed with a higher budget. The CLI's --max-cost overrides it.",
  }),
  'a positive number',
);

/** The `config` section of a workflow file. */
export const configFileSchema = z
  .strictObject({
    max_context_history: maxContextHistory,
    continue_on_error: continueOnError,
    max_concurrency: maxConcurrency.optional(),
    retries: retries.optional(),
    timeout: durationSchema(timeoutDescription).optional(),
    max_cost: maxCost.optional(),
  })
  .meta({ title: 'Config' });

/** The `config` of `defineWorkflow`. */
export const configInputSchema = z.strictObject({
  maxContextHistory,
  continueOnError,
  maxConcurrency: maxConcurrency.optional(),
  retries: retries.optional(),
  timeoutMs: millisecondsSchema(timeoutDescription).optional(),
  maxCost: maxCost.optional(),
});
