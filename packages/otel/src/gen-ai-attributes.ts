/**
 * The names of the OpenTelemetry GenAI semantic conventions this package
 * emits. Copied rather than imported from `@opentelemetry/semantic-conventions/incubating`,
 * as its README advises for experimental names: they may change in any minor
 * release, and a trace's attribute names must not change with a dependency
 * update. A test checks each one against the conventions' package.
 */
export const GenAI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  WORKFLOW_NAME: 'gen_ai.workflow.name',
  AGENT_NAME: 'gen_ai.agent.name',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_TYPE: 'gen_ai.tool.type',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions',
  ERROR_TYPE: 'error.type',
} as const;

/** The `gen_ai.operation.name` values this package emits. */
export const GenAIOperation = {
  INVOKE_WORKFLOW: 'invoke_workflow',
  CHAT: 'chat',
  EXECUTE_TOOL: 'execute_tool',
} as const;

/**
 * This project's own attributes, for what the conventions have no name for:
 * the run, its phases and the task an attempt belongs to.
 */
export const MultiContext = {
  RUN_ID: 'multi_context.run.id',
  RUN_STATUS: 'multi_context.run.status',
  RUN_RESUMED: 'multi_context.run.resumed',
  RUN_TOTAL_TASKS: 'multi_context.run.total_tasks',
  PHASE_INDEX: 'multi_context.phase.index',
  PHASE_NAME: 'multi_context.phase.name',
  PHASE_EXECUTION_MODE: 'multi_context.phase.execution_mode',
  PHASE_STATUS: 'multi_context.phase.status',
  TASK_ID: 'multi_context.task.id',
  TASK_ATTEMPT: 'multi_context.task.attempt',
  TASK_STATUS: 'multi_context.task.status',
  TASK_PROFILE: 'multi_context.task.profile',
  TOOL_STEP: 'multi_context.tool.step',
  WORKER_ID: 'multi_context.worker.id',
  COST: 'multi_context.usage.cost',
} as const;
