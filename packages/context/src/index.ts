export type {
  ContextMessage,
  ContextToolCall,
  MessageDetails,
  MessageRole,
} from './context-message.js';
export { ContextSummaryError } from './context-summary-error.js';
export type {
  ContextLimits,
  ContextSummary,
  ContextWindow,
  PendingSummary,
  TrimReport,
} from './context-window.js';
export { ExecutionContext } from './execution-context.js';
export {
  DEFAULT_MAX_HISTORY,
  type ExecutionContextOptions,
} from './execution-context-options.js';
export { estimateTokenizer, o200kTokenizer, type Tokenizer } from './tokenizer.js';
export {
  DEFAULT_TRIM_TO,
  type DropOldestOptions,
  dropOldest,
  dropOldestPolicy,
  type SummarizeOptions,
  summarize,
  type TrimAction,
  type TrimPolicy,
  type TrimPolicyInfo,
  type TrimRequest,
  type TrimToOptions,
  type TurnSize,
} from './trim-policy.js';
