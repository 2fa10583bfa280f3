import type {
  PhaseStatus,
  RunEvent,
  RunEventPayload,
  TaskResult,
  WorkflowResult,
} from '@multi-context/events';

/**
 * Makes the events of a run by hand, stamped like core stamps them (`runId`,
 * contiguous `seq`, a `time` the test moves on), for feeding displays.
 */
export class EventScript {
  readonly runId = 'run-1';
  readonly events: RunEvent[] = [];
  time = 1_000;
  #seq = 0;

  /** Stamps and records one event; `advanceMs` moves the clock first. */
  emit(payload: RunEventPayload, advanceMs = 0): RunEvent {
    this.time += advanceMs;
    const event = { ...payload, runId: this.runId, seq: this.#seq++, time: this.time } as RunEvent;
    this.events.push(event);
    return event;
  }
}

/** A result with the given task results, one phase per entry of `phases`. */
export function resultOf(
  phases: { name: string; results: TaskResult[] }[],
  overrides: Partial<WorkflowResult> = {},
): WorkflowResult {
  const all = phases.flatMap((phase) => phase.results);
  const failed = all.filter((task) => task.status === 'failed').length;
  const cancelled = all.some((task) => task.status === 'cancelled');
  const status = cancelled ? 'cancelled' : failed > 0 ? 'failed' : 'succeeded';
  return {
    runId: 'run-1',
    workflowName: 'Pipeline',
    success: status === 'succeeded',
    status,
    phases: phases.map((phase) => ({
      name: phase.name,
      executionMode: 'parallel',
      status: phaseStatus(phase.results),
      results: phase.results,
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    })),
    totalTasks: all.length,
    successfulTasks: all.filter((task) => task.status === 'succeeded').length,
    failedTasks: failed,
    usage: { inputTokens: 812, outputTokens: 422, totalTokens: 1234 },
    contextUsage: {},
    durationMs: 2345,
    ...overrides,
  };
}

/** A task result that succeeded with `response`. */
export function succeeded(contextName: string, profile: string, response: string): TaskResult {
  return {
    taskId: contextName,
    contextName,
    profile,
    status: 'succeeded',
    success: true,
    response,
    attempts: 1,
    durationMs: 300,
  };
}

/** A task result that failed with `message`. */
export function failed(contextName: string, profile: string, message: string): TaskResult {
  return {
    taskId: contextName,
    contextName,
    profile,
    status: 'failed',
    success: false,
    error: { name: 'ProviderError', message },
    attempts: 3,
    durationMs: 1500,
  };
}

function phaseStatus(results: TaskResult[]): PhaseStatus {
  if (results.some((task) => task.status === 'failed')) return 'failed';
  if (results.some((task) => task.status === 'cancelled')) return 'cancelled';
  return results.some((task) => task.status === 'succeeded') ? 'succeeded' : 'skipped';
}
