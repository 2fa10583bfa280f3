import type { z } from 'zod';
import {
  buildMcpServer,
  buildProfile,
  buildProvider,
  mapSection,
  mcpServerFromFile,
  profileFromFile,
  providerFromFile,
} from './build-profiles.js';
import type { TemplateCheck } from './check-templates.js';
import { compact, copyData } from './plain-data.js';
import type { ContextSpec, InputSpec, Phase, Task, Workflow } from './workflow.js';
import type { WorkflowFile, workflowInputSchema } from './workflow-schema.js';

/** A `defineWorkflow` input after validation, defaults filled in. */
export type ParsedWorkflowInput = z.output<typeof workflowInputSchema>;

/** The camelCase equivalent of a validated workflow file. */
export function fromFile(file: WorkflowFile): ParsedWorkflowInput {
  return {
    name: file.name,
    description: file.description,
    defaultProfile: file.default_profile,
    inputs: file.inputs,
    contexts: mapSection(file.contexts, (context) => ({
      system: context.system,
      maxHistory: context.max_history,
      maxTokens: context.max_tokens,
      trim:
        context.trim === undefined || typeof context.trim === 'string'
          ? context.trim
          : {
              policy: context.trim.policy,
              profile: context.trim.profile,
              keepLast: context.trim.keep_last,
            },
    })),
    providers: mapSection(file.providers, providerFromFile),
    profiles: mapSection(file.profiles, profileFromFile),
    mcpServers: mapSection(file.mcp_servers, mcpServerFromFile),
    phases: file.phases.map((phase) => ({
      name: phase.name,
      executionMode: phase.execution_mode,
      maxConcurrency: phase.max_concurrency,
      tasks: phase.tasks.map((task) => ({
        id: task.id,
        contextName: task.context_name,
        prompt: task.prompt,
        profile: task.profile,
        timeoutMs: task.timeout,
        retries: task.retries,
        maxSteps: task.max_steps,
        continueOnError: task.continue_on_error,
        output: task.output && {
          format: task.output.format,
          schema: task.output.schema,
          maxRepairs: task.output.max_repairs,
        },
      })),
    })),
    config: {
      maxContextHistory: file.config.max_context_history,
      continueOnError: file.config.continue_on_error,
      maxConcurrency: file.config.max_concurrency,
      retries: file.config.retries,
      timeoutMs: file.config.timeout,
      maxCost: file.config.max_cost,
    },
  };
}

/**
 * The {@link Workflow} model: fresh plain objects, `ids` given to the tasks in
 * document order, the parsed templates of `templates`, and no key whose value
 * is undefined (so it survives a JSON round trip unchanged).
 */
export function buildWorkflow(
  input: ParsedWorkflowInput,
  ids: readonly string[],
  templates: TemplateCheck,
): Workflow {
  let taskIndex = 0;
  return compact({
    name: input.name,
    description: input.description,
    defaultProfile: input.defaultProfile,
    inputs: mapSection(
      input.inputs,
      (spec): InputSpec =>
        compact({
          type: spec.type,
          default: spec.default,
          description: spec.description,
          required: spec.required ?? spec.default === undefined,
        }),
    ),
    contexts: mapSection(
      input.contexts,
      (context, name): ContextSpec =>
        compact({
          system: context.system,
          systemTemplate: templates.contexts.get(name),
          maxHistory: context.maxHistory,
          maxTokens: context.maxTokens,
          trim: copyData(context.trim),
        }),
    ),
    providers: mapSection(input.providers, buildProvider),
    profiles: mapSection(input.profiles, buildProfile),
    mcpServers: mapSection(input.mcpServers, buildMcpServer),
    phases: input.phases.map(
      (phase): Phase =>
        compact({
          name: phase.name,
          executionMode: phase.executionMode,
          maxConcurrency: phase.maxConcurrency,
          tasks: phase.tasks.map((task): Task => {
            const checked = templates.tasks[taskIndex]!;
            return compact({
              id: ids[taskIndex++]!,
              contextName: task.contextName,
              prompt: task.prompt,
              profile: task.profile,
              timeoutMs: task.timeoutMs,
              retries: task.retries,
              maxSteps: task.maxSteps,
              continueOnError: task.continueOnError,
              output:
                task.output &&
                compact({
                  format: task.output.format,
                  schema: copyData(task.output.schema),
                  maxRepairs: task.output.maxRepairs,
                }),
              template: checked.template,
              dependsOn: checked.dependsOn,
            });
          }),
        }),
    ),
    config: compact({ ...input.config }),
  });
}
