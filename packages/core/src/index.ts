export {
  type AttemptCall,
  type AttemptExecutor,
  type AttemptRequest,
  inProcessExecutor,
  type ProviderEventSink,
} from './attempt-executor.js';
export type { ReplayOption } from './event-replay.js';
export { reportSubscriberError, type SubscriberErrorHandler } from './event-stream.js';
export {
  MultiContextOrchestrator,
  type MultiContextOrchestratorOptions,
  type ResumeOptions,
  type RunOptions,
} from './orchestrator.js';
export { OrchestratorConfigError } from './orchestrator-config-error.js';
export { OutputValidationError } from './output-validation-error.js';
export type { ProfileConfig, ProfilePrice } from './profile.js';
export { type RecoveredRun, recoverRun } from './recover-run.js';
export type { RecoveredStep } from './recover-steps.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.js';
export { RunAlreadyEndedError } from './run-already-ended-error.js';
export { RunCancelledError } from './run-cancelled-error.js';
export type { RunEventListener } from './run-listeners.js';
export {
  type SessionLike,
  type SessionRunProfileArgs,
  sessionProvider,
} from './session-provider.js';
export { TaskTimeoutError } from './task-timeout-error.js';
export {
  DEFAULT_MAX_STEPS,
  DEFAULT_TOOL_TIMEOUT_MS,
  type Tool,
  type ToolExecuteOptions,
  type ToolInputCheck,
} from './tool.js';
export {
  MaxStepsError,
  ToolInputError,
  ToolOutputError,
  ToolTimeoutError,
  UnknownToolError,
} from './tool-errors.js';
export type { WorkflowRun } from './workflow-run.js';
