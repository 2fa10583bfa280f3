import { buildWorkflow } from './build-workflow.js';
import { CODE_SPELLING } from './document-fields.js';
import type { McpServerSpec, ProfileSpec, ProviderSpec } from './profiles.js';
import type { TemplatePart } from './template.js';
import { validateShape } from './validate-shape.js';
import type {
  ContextSpec,
  ExecutionMode,
  InputType,
  InputValue,
  Workflow,
  WorkflowConfig,
} from './workflow.js';
import { workflowInputSchema } from './workflow-schema.js';
import { WorkflowValidationError } from './workflow-validation-error.js';

/** A task's structured output for {@link defineWorkflow}; `maxRepairs` defaults to 2. */
export interface TaskOutputInput {
  format: 'json';
  schema?: Record<string, unknown>;
  maxRepairs?: number;
}

/**
 * A task for {@link defineWorkflow}; `id` follows the same rule as in a file.
 * `template` and `dependsOn` are derived from `prompt`: leave them out (they
 * are accepted, so that a {@link Workflow} is a valid input, and must then
 * equal what the prompt gives).
 */
export interface TaskInput {
  id?: string;
  contextName: string;
  prompt: string;
  profile?: string;
  timeoutMs?: number;
  retries?: number;
  /** How many model steps the task may take when its profile has tools. */
  maxSteps?: number;
  continueOnError?: boolean;
  output?: TaskOutputInput;
  template?: TemplatePart[];
  dependsOn?: string[];
}

/** A phase for {@link defineWorkflow}; `executionMode` defaults to `sequential`. */
export interface PhaseInput {
  name: string;
  executionMode?: ExecutionMode;
  maxConcurrency?: number;
  tasks: TaskInput[];
}

/** An input for {@link defineWorkflow}; `type` defaults to `string`, `required` to "when there is no default". */
export interface InputSpecInput {
  type?: InputType;
  default?: InputValue;
  description?: string;
  required?: boolean;
}

/** A workflow for {@link defineWorkflow}: the camelCase model with ids, modes and config optional. */
export interface WorkflowInput {
  name: string;
  description?: string;
  defaultProfile?: string;
  inputs?: Record<string, InputSpecInput>;
  contexts?: Record<string, ContextSpec>;
  providers?: Record<string, ProviderSpec>;
  profiles?: Record<string, ProfileSpec>;
  mcpServers?: Record<string, McpServerSpec>;
  phases: PhaseInput[];
  config?: Partial<WorkflowConfig>;
}

/**
 * Validates a workflow written in code, with the same rules as a workflow
 * file, and returns the complete {@link Workflow}: task ids assigned, modes
 * and config defaults filled in, templates parsed and their references
 * checked. Durations are given in milliseconds (`timeoutMs`). Any `Workflow`
 * is a valid input, and comes back equal.
 *
 * @throws {WorkflowValidationError} With every issue, when the input is not valid.
 *
 * @example
 * const workflow = defineWorkflow({
 *   name: 'Notes',
 *   phases: [
 *     { name: 'Draft', tasks: [{ contextName: 'notes', prompt: 'Write a haiku' }] },
 *     { name: 'Judge', tasks: [{ contextName: 'judge', prompt: 'Rate: {{ outputs.notes }}' }] },
 *   ],
 * });
 * workflow.phases[1].tasks[0].dependsOn; // ['notes']
 */
export function defineWorkflow(input: WorkflowInput): Workflow {
  const result = validateShape(workflowInputSchema, input, CODE_SPELLING);
  if (!result.success) throw new WorkflowValidationError(result.issues);
  return buildWorkflow(result.data, result.ids, result.templates);
}
