import { MultiContextError } from '@multi-context/errors';

/**
 * A worker's provider call failed with an error that is not a
 * `ProviderError` (a provider that threw something else, a worker without
 * the provider asked for): as in one process, the run does not retry it.
 */
export class RemoteAttemptError extends MultiContextError {
  static override errorName = 'RemoteAttemptError';

  /**
   * @param message - The worker's error message.
   * @param remoteName - The `name` of the error on the worker.
   * @param workerId - The worker that reported it.
   */
  constructor(
    message: string,
    readonly remoteName: string,
    readonly workerId: string | undefined,
  ) {
    super(message);
  }
}
