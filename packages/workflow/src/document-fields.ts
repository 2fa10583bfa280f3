/** Defensive reading of a document that may not be valid yet (own properties only). */

/** Whether `value` is a plain mapping (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `value`, or undefined. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The entries of a mapping, or none when `value` is not one. */
export function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** How a spelling of the workflow shape names the keys that the document-wide checks read. */
export interface Spelling {
  contextName: string;
  executionMode: string;
  /** Whether this is the camelCase shape of code, which may carry the derived `template` and `dependsOn`. */
  code: boolean;
}

/** The snake_case spelling of files. */
export const FILE_SPELLING: Spelling = {
  contextName: 'context_name',
  executionMode: 'execution_mode',
  code: false,
};

/** The camelCase spelling of `defineWorkflow`. */
export const CODE_SPELLING: Spelling = {
  contextName: 'contextName',
  executionMode: 'executionMode',
  code: true,
};
