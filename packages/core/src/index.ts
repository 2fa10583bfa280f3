export {
  OrchestratorConfigError,
  RunAlreadyEndedError,
  RunCancelledError,
  TaskTimeoutError,
} from './errors.js';
export type { ReplayOption } from './event-replay.js';
export {
  RunEventStream,
  reportSubscriberError,
  type SubscriberErrorHandler,
} from './event-stream.js';
export {
  MultiContextOrchestrator,
  type MultiContextOrchestratorOptions,
  type ResumeOptions,
  type RunOptions,
} from './orchestrator.js';
export type { ProfileConfig, ProfilePrice, ResolvedProfile } from './profile.js';
export { type RecoveredRun, recoverRun } from './recover-run.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.js';
export type { RunEventListener } from './run-listeners.js';
export {
  type SessionLike,
  type SessionRunProfileArgs,
  sessionProvider,
} from './session-provider.js';
export { OutputValidationError } from './structured-output.js';
export {
  type RunDependencies,
  WorkflowRun,
  type WorkflowRunOptions,
} from './workflow-run.js';
