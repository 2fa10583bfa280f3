import { z } from 'zod';

/**
 * What a schema accepts, in words ("a non-negative integer"), so an issue can
 * say `max_context_history must be a non-negative integer, got -1` whatever
 * check failed. Kept apart from `.meta()` so it never leaks into the JSON Schema.
 */
export const expectations = z.registry<{ expected: string }>();

/** Registers `expected` as the wording of what `schema` accepts and returns `schema`. */
export function expecting<T extends z.core.$ZodType>(schema: T, expected: string): T {
  expectations.add(schema, { expected });
  return schema;
}

/** A string with at least one character that is not white space. */
export function nonBlankString(description: string) {
  return expecting(z.string().regex(/\S/).meta({ description }), 'a non-empty string');
}
