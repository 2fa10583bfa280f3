import {
  addUsage,
  type EventError,
  emptyUsage,
  type PhaseResult,
  type PhaseStatus,
  type RunStatus,
  type TaskResult,
  type Usage,
  type WorkflowResult,
} from '@multi-context/events';
import type { Phase, Task, TemplateOutput, Workflow } from '@multi-context/workflow';

/**
 * Whether a task uses other tasks' outputs. A workflow object built by hand in
 * plain JavaScript (not by `defineWorkflow` or the loader) may lack `dependsOn`:
 * that means none.
 */
export const dependsOnAny = (task: Task): boolean => (task.dependsOn?.length ?? 0) > 0;

/**
 * The results of a run's tasks as they end, and what they fold into: the
 * outputs later prompts use, whether a task may start, each phase's result,
 * and the run's {@link WorkflowResult}.
 */
export class RunResults {
  /** Whether any task uses another's output: only then are results and outputs kept. */
  readonly #keepOutputs: boolean;
  /** Results of the tasks that ended, by id: what dependents check before they start. */
  readonly #results = new Map<string, TaskResult>();
  /** Outputs of the tasks that succeeded, as templates see them (no prototype: ids are data). */
  readonly outputs: Record<string, TemplateOutput> = Object.create(null);

  constructor(workflow: Workflow) {
    this.#keepOutputs = workflow.phases.some((phase) => phase.tasks.some(dependsOnAny));
  }

  /** Keeps a task's result for the tasks that use its output; returns it. */
  record(result: TaskResult): TaskResult {
    if (!this.#keepOutputs) return result;
    this.#results.set(result.taskId, result);
    if (result.status === 'succeeded') {
      const output: TemplateOutput = { text: result.response ?? '' };
      if (result.json !== undefined) output.json = result.json;
      this.outputs[result.taskId] = output;
    }
    return result;
  }

  /** Why a task cannot start because of a task it depends on, if it cannot. */
  blockedBy(task: Task): EventError | undefined {
    for (const dependency of task.dependsOn) {
      const result = this.#results.get(dependency);
      if (result?.status === 'succeeded') continue;
      const what =
        result === undefined
          ? 'did not run'
          : result.status === 'failed'
            ? 'failed'
            : `was ${result.status}`;
      return {
        name: 'TaskSkippedError',
        message: `Skipped: the prompt uses the output of task "${dependency}", which ${what}.`,
      };
    }
    return undefined;
  }
}

/** A phase's result from its tasks' results (in declaration order). */
export function phaseResult(phase: Phase, results: TaskResult[]): PhaseResult {
  const usage = emptyUsage();
  for (const result of results) addUsage(usage, result.usage);
  return {
    name: phase.name,
    executionMode: phase.executionMode,
    status: phaseStatus(results),
    results,
    usage,
  };
}

function phaseStatus(results: TaskResult[]): PhaseStatus {
  let cancelled = false;
  let succeeded = false;
  for (const result of results) {
    if (result.status === 'failed') return 'failed';
    if (result.status === 'cancelled') cancelled = true;
    else if (result.status === 'succeeded') succeeded = true;
  }
  if (cancelled) return 'cancelled';
  return succeeded ? 'succeeded' : 'skipped';
}

/** The run's result from its phases' results: counts, usage (per context too) and status. */
export function workflowResult(
  runId: string,
  workflowName: string,
  phases: PhaseResult[],
  totalTasks: number,
  durationMs: number,
): WorkflowResult {
  let successfulTasks = 0;
  let failedTasks = 0;
  let cancelledTasks = 0;
  let unfinished = false;
  const usage = emptyUsage();
  // A Map, then fromEntries: a context may be named "__proto__".
  const contextUsage = new Map<string, Usage>();
  for (const phase of phases) {
    addUsage(usage, phase.usage);
    for (const result of phase.results) {
      if (result.usage !== undefined) {
        const sum = contextUsage.get(result.contextName) ?? emptyUsage();
        contextUsage.set(result.contextName, addUsage(sum, result.usage));
      }
      if (result.status === 'succeeded') successfulTasks++;
      else if (result.status === 'failed') failedTasks++;
      else {
        unfinished = true;
        if (result.status === 'cancelled') cancelledTasks++;
      }
    }
  }
  // A cancel that came after the last task ended changes nothing.
  const status: RunStatus =
    cancelledTasks > 0 ? 'cancelled' : failedTasks > 0 || unfinished ? 'failed' : 'succeeded';
  return {
    runId,
    workflowName,
    success: status === 'succeeded',
    status,
    phases,
    totalTasks,
    successfulTasks,
    failedTasks,
    usage,
    contextUsage: Object.fromEntries(contextUsage),
    durationMs,
  };
}
