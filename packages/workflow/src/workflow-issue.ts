import type { Workflow } from './workflow.js';

/** What kind of problem a {@link WorkflowIssueDraft} describes. */
export type WorkflowIssueCode =
  /** A key that is not allowed at its place; the path ends with the key itself. */
  | 'unknown_key'
  /** A required key is absent; the path ends with the missing key. */
  | 'missing_key'
  /** A value of the wrong type (a list where an object belongs, a string for a number, ...). */
  | 'invalid_type'
  /** A value of the right type that is not allowed (out of range, not an option, blank). */
  | 'invalid_value'
  /** A list with fewer items than required (a phase without tasks). */
  | 'too_few_items'
  /** An explicit task id that an earlier task already uses. */
  | 'duplicate_id'
  /** A name that is not allowed as a key (an input name with a space); the path ends with the key. */
  | 'invalid_key'
  /** A malformed template reference (an unclosed `{{`, an unknown root); see `span`. */
  | 'invalid_template'
  /** A reference to a task, input or provider that does not exist; see `span` for templates. */
  | 'unknown_reference'
  /** A reference to something that exists but cannot be used there (a task of a later phase); see `span`. */
  | 'invalid_reference'
  /** A profile that is used but not defined (`checkWorkflow` with `definedProfiles`). */
  | 'undefined_profile';

/**
 * One problem of a workflow document, without a position: a loader maps
 * `path` (and `span`) to a line and column of its source.
 */
export interface WorkflowIssueDraft {
  /** Keys and list indexes from the document's root to the offending key or value. */
  path: (string | number)[];
  /** A human-friendly sentence, such as `unknown key "executon_mode" in phase; did you mean "execution_mode"?`. */
  message: string;
  code: WorkflowIssueCode;
  /**
   * Where in the string at `path` the problem is, for issues inside a string
   * (a template reference in a prompt): an offset and a length in UTF-16 code
   * units of the parsed string.
   */
  span?: { offset: number; length: number };
}

/** The outcome of validating a workflow document: the workflow, or every issue found. */
export type WorkflowValidationResult =
  | { success: true; workflow: Workflow }
  | { success: false; issues: WorkflowIssueDraft[] };
