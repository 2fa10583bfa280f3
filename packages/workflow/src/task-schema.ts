import { z } from 'zod';
import { expecting, nonBlankString } from './expectations.js';

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
const prompt = nonBlankString('The prompt sent as the user message.');
const profile = nonBlankString('The profile that answers; default_profile when left out.');

/** One task as written in a workflow file. */
export const taskFileSchema = z
  .strictObject({
    id: id.optional(),
    context_name: contextName,
    prompt,
    profile: profile.optional(),
  })
  .meta({ title: 'Task' });

/** One task as given to `defineWorkflow`. */
export const taskInputSchema = z.strictObject({
  id: id.optional(),
  contextName,
  prompt,
  profile: profile.optional(),
});
