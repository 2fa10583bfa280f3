import { MultiContextError } from '@multi-context/errors';

/** A task's answer is not the JSON its `output` declares, after every repair. Not retryable. */
export class OutputValidationError extends MultiContextError {
  static override errorName = 'OutputValidationError';
}
