const configMarker = Symbol.for('multi-context.error.OrchestratorConfigError');

/**
 * The orchestrator cannot run as configured: no provider, a profile naming a
 * provider that does not exist, a malformed workflow object. Raised before any
 * provider call is made.
 */
export class OrchestratorConfigError extends Error {
  readonly [configMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'OrchestratorConfigError';
  }

  /** Whether `error` is an OrchestratorConfigError from any copy of this package. */
  static isInstance(error: unknown): error is OrchestratorConfigError {
    return typeof error === 'object' && error !== null && configMarker in error;
  }
}

const timeoutMarker = Symbol.for('multi-context.error.TaskTimeoutError');

/** One attempt of a task took longer than its `timeout`. Retryable: the next attempt may be quicker. */
export class TaskTimeoutError extends Error {
  readonly [timeoutMarker] = true;
  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The provider did not finish within ${timeoutMs} ms.`);
    this.name = 'TaskTimeoutError';
    this.timeoutMs = timeoutMs;
  }

  /** Whether `error` is a TaskTimeoutError from any copy of this package. */
  static isInstance(error: unknown): error is TaskTimeoutError {
    return typeof error === 'object' && error !== null && timeoutMarker in error;
  }
}

const cancelMarker = Symbol.for('multi-context.error.RunCancelledError');

/** The run was cancelled while the task was waiting or in flight. */
export class RunCancelledError extends Error {
  readonly [cancelMarker] = true;

  constructor(reason: string) {
    super(`The run was cancelled: ${reason}`);
    this.name = 'RunCancelledError';
  }

  /** Whether `error` is a RunCancelledError from any copy of this package. */
  static isInstance(error: unknown): error is RunCancelledError {
    return typeof error === 'object' && error !== null && cancelMarker in error;
  }
}

const endedMarker = Symbol.for('multi-context.error.RunAlreadyEndedError');

/** A resume of a run that already ended (succeeded or failed): there is nothing to do. */
export class RunAlreadyEndedError extends Error {
  readonly [endedMarker] = true;
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';

  constructor(runId: string, status: 'succeeded' | 'failed' | 'cancelled') {
    super(`Run ${runId} already ended (${status}); there is nothing to resume.`);
    this.name = 'RunAlreadyEndedError';
    this.runId = runId;
    this.status = status;
  }

  /** Whether `error` is a RunAlreadyEndedError from any copy of this package. */
  static isInstance(error: unknown): error is RunAlreadyEndedError {
    return typeof error === 'object' && error !== null && endedMarker in error;
  }
}
