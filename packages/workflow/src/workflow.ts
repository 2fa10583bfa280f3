import type { McpServerSpec, ProfileSpec, ProviderSpec } from './profiles.js';
import type { TemplatePart } from './template.js';

/** The execution modes a phase may name. */
export const EXECUTION_MODES = ['sequential', 'parallel'] as const;

/** How the tasks of a phase run: one after another, or all at once. */
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** The mode of a phase that names none. */
export const DEFAULT_EXECUTION_MODE: ExecutionMode = 'sequential';

/** How many messages each context keeps when the workflow does not say (the seed's default). */
export const DEFAULT_MAX_CONTEXT_HISTORY = 50;

/** Whether later phases run after a task failed, when the workflow does not say. */
export const DEFAULT_CONTINUE_ON_ERROR = true;

/** How many times an invalid structured answer is sent back for repair, when the task does not say. */
export const DEFAULT_MAX_REPAIRS = 2;

/** The types a workflow input may have. */
export const INPUT_TYPES = ['string', 'number', 'boolean'] as const;

/** The type of a workflow input; command-line values are converted to it. */
export type InputType = (typeof INPUT_TYPES)[number];

/** The value of a workflow input once resolved. */
export type InputValue = string | number | boolean;

/** A task's structured output: its answer is parsed as JSON and checked against `schema`. */
export interface TaskOutput {
  format: 'json';
  /** A JSON Schema the parsed answer must satisfy. */
  schema?: Record<string, unknown>;
  /** How many times an invalid answer is sent back with the validation error (default 2). */
  maxRepairs: number;
}

/** One prompt, sent in one named context. */
export interface Task {
  /** Unique across the workflow: the file's `id`, or one derived from the context name. */
  id: string;
  /** The context whose history the task reads and extends. */
  contextName: string;
  /** The prompt sent as the user message, as written (templates not rendered). */
  prompt: string;
  /** The profile that answers; the workflow's `defaultProfile` when left out. */
  profile?: string;
  /** Bound of each attempt, in milliseconds; overrides the profile's and the config's. */
  timeoutMs?: number;
  /** How many times a retryable failure is retried; overrides the profile's and the config's. */
  retries?: number;
  /** How many model steps a task whose profile has tools may take; overrides the profile's. */
  maxSteps?: number;
  /**
   * Whether the run goes on when this task fails, whatever `config.continueOnError`
   * says (true: it goes on; false: it stops after this task's phase).
   */
  continueOnError?: boolean;
  /** Structured output: the answer is parsed as JSON (and checked against a schema). */
  output?: TaskOutput;
  /**
   * The prompt parsed once at load time, present when the prompt holds template
   * syntax (a reference or an escaped `\{{`): render it with `renderTemplate`.
   * When absent, the prompt is sent as it is.
   */
  template?: TemplatePart[];
  /** The ids of the tasks whose outputs the prompt uses, in order of first use; `[]` when none. */
  dependsOn: string[];
}

/** A group of tasks that runs after the previous phase has ended. */
export interface Phase {
  name: string;
  executionMode: ExecutionMode;
  /** How many tasks of a parallel phase run at once; `config.maxConcurrency` when left out. */
  maxConcurrency?: number;
  /** At least one. */
  tasks: Task[];
}

/** Settings of a whole run. */
export interface WorkflowConfig {
  /** How many of the newest messages each context keeps (a non-negative integer). */
  maxContextHistory: number;
  /** Whether later phases still run after a task failed. */
  continueOnError: boolean;
  /** How many tasks of a parallel phase run at once, for phases that do not say. */
  maxConcurrency?: number;
  /** How many times a retryable failure is retried, for tasks and profiles that do not say. */
  retries?: number;
  /** Bound of each attempt in milliseconds, for tasks and profiles that do not say. */
  timeoutMs?: number;
  /**
   * The run's budget, in the currency of its prices (`max_cost`): once its
   * cost reaches it, no new task starts, and the run ends `cancelled` with a
   * budget reason (resumable with a higher budget). A run option overrides it.
   */
  maxCost?: number;
}

/** A value the workflow takes from its caller (`--input name=value`, or the API's `inputs`). */
export interface InputSpec {
  type: InputType;
  /** Used when the caller gives no value; of the input's `type`. */
  default?: InputValue;
  description?: string;
  /** Whether the caller must give a value: true unless the input has a default or says otherwise. */
  required: boolean;
}

/** How a context shortens what it sends once over its limits. */
export type TrimPolicySpec =
  /** Leave out the oldest messages (a user message and its answer together). */
  | 'drop_oldest'
  /** Ask `profile` to condense what would be left out into one message, keeping the newest `keepLast`. */
  | { policy: 'summarize'; profile: string; keepLast?: number };

/** Settings of one named context. */
export interface ContextSpec {
  /** A system message sent first in every call of the context; never trimmed. */
  system?: string;
  /** `system` parsed at load time, present when it holds template syntax (only `inputs` references). */
  systemTemplate?: TemplatePart[];
  /** How many of the newest messages the context keeps; `config.maxContextHistory` when left out. */
  maxHistory?: number;
  /** How many tokens of history the context sends at most. */
  maxTokens?: number;
  /**
   * What leaves once the context is over a limit, a whole turn at a time:
   * `'drop_oldest'` (the default when left out) or a summary by a profile.
   */
  trim?: TrimPolicySpec;
}

/**
 * A validated workflow: phases that run one after another, each with tasks
 * that run in named contexts. A plain JSON-serialisable object.
 */
export interface Workflow {
  name: string;
  description?: string;
  /** The profile of tasks that name none. */
  defaultProfile?: string;
  /** The values the workflow takes from its caller, by name; see `resolveInputs`. */
  inputs?: Record<string, InputSpec>;
  /** Settings of named contexts; a context without an entry uses the defaults. */
  contexts?: Record<string, ContextSpec>;
  /** Provider configurations by name, written in the workflow file. */
  providers?: Record<string, ProviderSpec>;
  /** Profiles by name, written in the workflow file. */
  profiles?: Record<string, ProfileSpec>;
  /** MCP servers by name, whose tools its profiles may name. */
  mcpServers?: Record<string, McpServerSpec>;
  /** At least one. */
  phases: Phase[];
  config: WorkflowConfig;
}
