import { buildWorkflow } from './build-workflow.js';
import { validateShape } from './validate-shape.js';
import type { ExecutionMode, Workflow, WorkflowConfig } from './workflow.js';
import { workflowInputSchema } from './workflow-schema.js';
import { WorkflowValidationError } from './workflow-validation-error.js';

/** A task for {@link defineWorkflow}; `id` follows the same rule as in a file. */
export interface TaskInput {
  id?: string;
  contextName: string;
  prompt: string;
  profile?: string;
}

/** A phase for {@link defineWorkflow}; `executionMode` defaults to `sequential`. */
export interface PhaseInput {
  name: string;
  executionMode?: ExecutionMode;
  tasks: TaskInput[];
}

/** A workflow for {@link defineWorkflow}: the camelCase model with ids, modes and config optional. */
export interface WorkflowInput {
  name: string;
  description?: string;
  defaultProfile?: string;
  phases: PhaseInput[];
  config?: Partial<WorkflowConfig>;
}

/**
 * Validates a workflow written in code, with the same rules as a workflow
 * file, and returns the complete {@link Workflow}: task ids assigned, modes
 * and config defaults filled in.
 *
 * @throws {WorkflowValidationError} With every issue, when the input is not valid.
 *
 * @example
 * const workflow = defineWorkflow({
 *   name: 'Notes',
 *   phases: [{ name: 'Draft', tasks: [{ contextName: 'notes', prompt: 'Write a haiku' }] }],
 * });
 * workflow.phases[0].tasks[0].id; // 'notes'
 */
export function defineWorkflow(input: WorkflowInput): Workflow {
  const result = validateShape(workflowInputSchema, input, 'contextName');
  if (!result.success) throw new WorkflowValidationError(result.issues);
  return buildWorkflow(result.data, result.ids);
}
