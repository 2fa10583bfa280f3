export {
  defineWorkflow,
  type PhaseInput,
  type TaskInput,
  type WorkflowInput,
} from './define-workflow.js';
export { TASK_ID_PATTERN } from './task-schema.js';
export { validateWorkflowDocument } from './validate-workflow-document.js';
export {
  DEFAULT_CONTINUE_ON_ERROR,
  DEFAULT_EXECUTION_MODE,
  DEFAULT_MAX_CONTEXT_HISTORY,
  EXECUTION_MODES,
  type ExecutionMode,
  type Phase,
  type Task,
  type Workflow,
  type WorkflowConfig,
} from './workflow.js';
export type {
  WorkflowIssueCode,
  WorkflowIssueDraft,
  WorkflowValidationResult,
} from './workflow-issue.js';
export { workflowJsonSchema } from './workflow-json-schema.js';
export { type WorkflowFile, workflowFileSchema } from './workflow-schema.js';
export { WorkflowValidationError } from './workflow-validation-error.js';
