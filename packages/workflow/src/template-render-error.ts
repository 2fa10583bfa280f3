import type { TemplateRef } from './template.js';

const marker = Symbol.for('multi-context.error.TemplateRenderError');

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
export class TemplateRenderError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance() reads it through `marker in error`
  private readonly [marker] = true;

  readonly code: TemplateRenderErrorCode;
  /** The reference that has no value. */
  readonly ref: TemplateRef;

  constructor(code: TemplateRenderErrorCode, ref: TemplateRef, message: string) {
    super(`${ref.raw}: ${message}`);
    this.name = 'TemplateRenderError';
    this.code = code;
    this.ref = ref;
  }

  /** Whether `error` is a TemplateRenderError from any copy of this package. */
  static isInstance(error: unknown): error is TemplateRenderError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
