import { MultiContextError } from '@multi-context/errors';
import type { TemplateRef } from './template.js';

/** Why a reference had no value. */
export type TemplateRenderErrorCode =
  /** No output of the referenced task was given (it failed, was skipped, or has not run). */
  | 'missing_output'
  /** The task's output has no parsed JSON. */
  | 'missing_json'
  /** The JSON has nothing at the reference's path. */
  | 'missing_path'
  /** No value of the referenced input was given. */
  | 'missing_input';

/**
 * A reference that has no value when a template is rendered. Rendering never
 * puts an empty string in place of a missing value.
 *
 * Recognise it with {@link TemplateRenderError.isInstance}, which works
 * across copies of this package (an `instanceof` check does not).
 */
export class TemplateRenderError extends MultiContextError {
  static override errorName = 'TemplateRenderError';

  readonly code: TemplateRenderErrorCode;
  /** The reference that has no value. */
  readonly ref: TemplateRef;

  constructor(code: TemplateRenderErrorCode, ref: TemplateRef, message: string) {
    super(`${ref.raw}: ${message}`);
    this.code = code;
    this.ref = ref;
  }
}
