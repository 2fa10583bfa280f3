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

/** One prompt, sent in one named context. */
export interface Task {
  /** Unique across the workflow: the file's `id`, or one derived from the context name. */
  id: string;
  /** The context whose history the task reads and extends. */
  contextName: string;
  /** The prompt sent as the user message. */
  prompt: string;
  /** The profile that answers; the workflow's `defaultProfile` when left out. */
  profile?: string;
}

/** A group of tasks that runs after the previous phase has ended. */
export interface Phase {
  name: string;
  executionMode: ExecutionMode;
  /** At least one. */
  tasks: Task[];
}

/** Settings of a whole run. */
export interface WorkflowConfig {
  /** How many of the newest messages each context keeps (a non-negative integer). */
  maxContextHistory: number;
  /** Whether later phases still run after a task failed. */
  continueOnError: boolean;
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
  /** At least one. */
  phases: Phase[];
  config: WorkflowConfig;
}
