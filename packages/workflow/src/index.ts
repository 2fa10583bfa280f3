export { type CheckWorkflowOptions, checkWorkflow } from './check-workflow.js';
export {
  defineWorkflow,
  type InputSpecInput,
  type PhaseInput,
  type TaskInput,
  type TaskOutputInput,
  type WorkflowInput,
} from './define-workflow.js';
export { didYouMean } from './did-you-mean.js';
export { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from './duration.js';
export { INPUT_NAME_PATTERN } from './input-schema.js';
export { parseTemplate } from './parse-template.js';
export type {
  FromEnv,
  HeaderFromEnv,
  McpServerSpec,
  ProfileMcpTools,
  ProfilePrice,
  ProfileSpec,
  ProfilesDocument,
  ProfileToolEntry,
  ProviderRateLimit,
  ProviderSpec,
} from './profiles.js';
export { profilesJsonSchema } from './profiles-json-schema.js';
export { type ProfilesFile, profilesFileSchema } from './profiles-schema.js';
export { renderTemplate } from './render-template.js';
export { resolveInputs } from './resolve-inputs.js';
export { TASK_ID_PATTERN } from './task-schema.js';
export type {
  ParsedTemplate,
  TemplateOutput,
  TemplatePart,
  TemplateRef,
  TemplateSource,
  TemplateText,
  TemplateValues,
} from './template.js';
export { TemplateRenderError, type TemplateRenderErrorCode } from './template-render-error.js';
export { type TemplateIssue, TemplateSyntaxError } from './template-syntax-error.js';
export {
  type ProfilesValidationResult,
  validateProfilesDocument,
} from './validate-profiles-document.js';
export { validateWorkflowDocument } from './validate-workflow-document.js';
export {
  type ContextSpec,
  DEFAULT_CONTINUE_ON_ERROR,
  DEFAULT_EXECUTION_MODE,
  DEFAULT_MAX_CONTEXT_HISTORY,
  DEFAULT_MAX_REPAIRS,
  EXECUTION_MODES,
  type ExecutionMode,
  INPUT_TYPES,
  type InputSpec,
  type InputType,
  type InputValue,
  type Phase,
  type Task,
  type TaskOutput,
  type TrimPolicySpec,
  type Workflow,
  type WorkflowConfig,
} from './workflow.js';
export { WorkflowInputError, type WorkflowInputIssue } from './workflow-input-error.js';
export type {
  WorkflowIssueCode,
  WorkflowIssueDraft,
  WorkflowValidationResult,
} from './workflow-issue.js';
export { workflowJsonSchema } from './workflow-json-schema.js';
export { type WorkflowFile, workflowFileSchema } from './workflow-schema.js';
export { WorkflowValidationError } from './workflow-validation-error.js';
