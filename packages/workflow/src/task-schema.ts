import { z } from 'zod';
import { durationSchema, millisecondsSchema } from './duration.js';
import { expecting, nonBlankString, nonNegativeInteger, positiveInteger } from './expectations.js';
import type { TemplatePart } from './template.js';
import { DEFAULT_MAX_REPAIRS } from './workflow.js';

/**
 * What an explicit task id looks like: a letter, digit or underscore, then
 * letters, digits, `_`, `.` and `-`. Ids name tasks in events, journals and
 * file names, so they hold no spaces, slashes or other punctuation.
 */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const id = expecting(
  z.string().regex(TASK_ID_PATTERN).meta({
    description:
      'Unique task id. Defaults to the context name for the first task of a context, then <context>-2, <context>-3, ...',
  }),
  'made of letters, digits, "_", "." and "-", starting with a letter, digit or "_"',
);
const contextName = nonBlankString(
  'The context the task runs in; tasks that name the same context share its history.',
);
const prompt = nonBlankString(
  'The prompt sent as the user message. May use {{ outputs.<task id> }}, {{ outputs.<task id>.json.<path> }} and {{ inputs.<name> }}; write \\{{ for literal braces.',
);
const profile = nonBlankString('The profile that answers; default_profile when left out.');
const timeoutDescription = 'Bound of each attempt of this task.';
const retries = nonNegativeInteger('How many times a retryable failure of this task is retried.');
const maxSteps = positiveInteger(
  "How many model steps this task may take when its profile has tools (each answer that calls tools is a step); overrides the profile's max_steps.",
);
const continueOnError = expecting(
  z.boolean().meta({
    description:
      'true: the run goes on when this task fails; false: it stops after this phase. Overrides config.continue_on_error.',
  }),
  'true or false',
);

const format = expecting(
  z.literal('json').meta({ description: 'json: the answer is parsed as JSON.' }),
  '"json"',
);
const outputJsonSchema = expecting(
  z.record(z.string(), z.unknown()).meta({
    description: 'A JSON Schema the parsed answer must satisfy; an invalid answer is sent back.',
  }),
  'a JSON Schema (a mapping)',
);
const maxRepairs = expecting(
  z.number().int().nonnegative().default(DEFAULT_MAX_REPAIRS).meta({
    description: 'How many times an invalid answer is sent back with the validation error.',
  }),
  'a non-negative integer',
);

/** The `output` of a task in a file. */
const outputFileSchema = z
  .strictObject({ format, schema: outputJsonSchema.optional(), max_repairs: maxRepairs })
  .meta({ title: 'Structured output' });

/** One task as written in a workflow file. */
export const taskFileSchema = z
  .strictObject({
    id: id.optional(),
    context_name: contextName,
    prompt,
    profile: profile.optional(),
    timeout: durationSchema(timeoutDescription).optional(),
    retries: retries.optional(),
    max_steps: maxSteps.optional(),
    continue_on_error: continueOnError.optional(),
    output: outputFileSchema.optional(),
  })
  .meta({ title: 'Task' });

const derivedTemplate = expecting(
  z.custom<TemplatePart[]>((value) => Array.isArray(value)),
  'a list of template parts (derived from prompt)',
);
const derivedDependsOn = expecting(z.array(z.string()), 'a list of task ids (derived from prompt)');

/**
 * One task as given to `defineWorkflow`. `template` and `dependsOn` are
 * derived from the prompt; they are accepted (so a `Workflow` is a valid
 * input) and must then equal what the prompt gives.
 */
export const taskInputSchema = z.strictObject({
  id: id.optional(),
  contextName,
  prompt,
  profile: profile.optional(),
  timeoutMs: millisecondsSchema(timeoutDescription).optional(),
  retries: retries.optional(),
  maxSteps: maxSteps.optional(),
  continueOnError: continueOnError.optional(),
  output: z.strictObject({ format, schema: outputJsonSchema.optional(), maxRepairs }).optional(),
  template: derivedTemplate.optional(),
  dependsOn: derivedDependsOn.optional(),
});
