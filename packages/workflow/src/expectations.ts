import { z } from 'zod';

/** How issues talk about the values a schema accepts. */
export interface Expectation {
  /** What the schema accepts, in words: `a non-negative integer`. */
  expected: string;
  /** A likely intended value for a refused one (`60` → `"60s"`), shown as "did you mean". */
  suggest?: (value: unknown) => string | undefined;
  /** Never show the refused value (it may be a secret, such as an API key pasted in the wrong place). */
  hideValue?: boolean;
}

/**
 * What a schema accepts, in words ("a non-negative integer"), so an issue can
 * say `max_context_history must be a non-negative integer, got -1` whatever
 * check failed. Kept apart from `.meta()` so it never leaks into the JSON Schema.
 */
export const expectations = z.registry<Expectation>();

/** Registers `expected` as the wording of what `schema` accepts and returns `schema`. */
export function expecting<T extends z.core.$ZodType>(
  schema: T,
  expected: string,
  more: Omit<Expectation, 'expected'> = {},
): T {
  expectations.add(schema, { expected, ...more });
  return schema;
}

/** A string with at least one character that is not white space. */
export function nonBlankString(description: string) {
  return expecting(z.string().regex(/\S/).meta({ description }), 'a non-empty string');
}

/** An integer of at least 0. */
export function nonNegativeInteger(description: string) {
  return expecting(z.number().int().nonnegative().meta({ description }), 'a non-negative integer');
}

/** An integer of at least 1. */
export function positiveInteger(description: string) {
  return expecting(z.number().int().positive().meta({ description }), 'a positive integer');
}

/** A map of free-form settings, passed on as they are. */
export function freeFormMap(description: string) {
  return expecting(z.record(z.string(), z.unknown()).meta({ description }), 'a mapping');
}
