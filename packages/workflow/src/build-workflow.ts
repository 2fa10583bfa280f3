import type { z } from 'zod';
import type { Phase, Task, Workflow } from './workflow.js';
import type { WorkflowFile, workflowInputSchema } from './workflow-schema.js';

/** A `defineWorkflow` input after validation, defaults filled in. */
export type ParsedWorkflowInput = z.output<typeof workflowInputSchema>;

/** The camelCase equivalent of a validated workflow file. */
export function fromFile(file: WorkflowFile): ParsedWorkflowInput {
  return {
    name: file.name,
    description: file.description,
    defaultProfile: file.default_profile,
    phases: file.phases.map((phase) => ({
      name: phase.name,
      executionMode: phase.execution_mode,
      tasks: phase.tasks.map((task) => ({
        id: task.id,
        contextName: task.context_name,
        prompt: task.prompt,
        profile: task.profile,
      })),
    })),
    config: {
      maxContextHistory: file.config.max_context_history,
      continueOnError: file.config.continue_on_error,
    },
  };
}

/**
 * The {@link Workflow} model: fresh plain objects, `ids` given to the tasks in
 * document order, and no key whose value is undefined (so it survives a JSON
 * round trip unchanged).
 */
export function buildWorkflow(input: ParsedWorkflowInput, ids: readonly string[]): Workflow {
  let taskIndex = 0;
  return {
    name: input.name,
    ...(input.description !== undefined && { description: input.description }),
    ...(input.defaultProfile !== undefined && { defaultProfile: input.defaultProfile }),
    phases: input.phases.map(
      (phase): Phase => ({
        name: phase.name,
        executionMode: phase.executionMode,
        tasks: phase.tasks.map(
          (task): Task => ({
            id: ids[taskIndex++]!,
            contextName: task.contextName,
            prompt: task.prompt,
            ...(task.profile !== undefined && { profile: task.profile }),
          }),
        ),
      }),
    ),
    config: {
      maxContextHistory: input.config.maxContextHistory,
      continueOnError: input.config.continueOnError,
    },
  };
}
