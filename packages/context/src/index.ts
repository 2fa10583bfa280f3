export type { ContextMessage, MessageRole } from './context-message.js';
export {
  DEFAULT_MAX_HISTORY,
  ExecutionContext,
  type ExecutionContextOptions,
} from './execution-context.js';
