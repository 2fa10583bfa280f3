import { MultiContextError } from '@multi-context/errors';

/** A resume of a run that already ended (succeeded or failed): there is nothing to do. */
export class RunAlreadyEndedError extends MultiContextError {
  static override errorName = 'RunAlreadyEndedError';

  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';

  constructor(runId: string, status: 'succeeded' | 'failed' | 'cancelled') {
    super(`Run ${runId} already ended (${status}); there is nothing to resume.`);
    this.runId = runId;
    this.status = status;
  }
}
