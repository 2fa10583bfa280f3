import type { RunEvent } from '@multi-context/events';
import type { ChatMessage, ProviderToolCall } from '@multi-context/provider';

/** A tool step of a task, as its record tells it: the model's calls, and the results recorded. */
export interface RecoveredStep {
  /** The model step, from 1. */
  step: number;
  /** What the model said beside its calls. */
  text: string;
  calls: ProviderToolCall[];
  /** How many calls the model made at this step: fewer in `calls` when the record was cut among them. */
  made: number;
  /** The `tool` message of each call whose result was recorded, by call id. */
  results: Map<string, ChatMessage>;
}

/**
 * The tool steps of the tasks in `taskIds`, from their `task:tool-call` and
 * `task:tool-result` events, oldest first. Every session of a resumed task
 * continues the steps of the one before, so all of a task's events count. A
 * step whose calls all have results is done; the last may be in flight, with
 * some results missing: those calls run again, the others do not.
 */
export function recoverSteps(
  events: readonly RunEvent[],
  taskIds: ReadonlySet<string>,
): Map<string, RecoveredStep[]> {
  const steps = new Map<string, RecoveredStep[]>();
  for (const event of events) {
    if (event.type === 'task:tool-call') {
      if (!taskIds.has(event.taskId)) continue;
      let list = steps.get(event.taskId);
      if (list === undefined) {
        list = [];
        steps.set(event.taskId, list);
      }
      let step = list.at(-1);
      if (step?.step !== event.step) {
        step = {
          step: event.step,
          text: event.text ?? '',
          calls: [],
          made: event.calls,
          results: new Map(),
        };
        list.push(step);
      }
      step.calls.push({ id: event.toolCallId, name: event.tool, input: event.arguments });
    } else if (event.type === 'task:tool-result') {
      const step = steps.get(event.taskId)?.find((candidate) => candidate.step === event.step);
      if (step === undefined) continue;
      const message: ChatMessage = {
        role: 'tool',
        content: event.error === undefined ? (event.result ?? '') : event.error.message,
        toolCallId: event.toolCallId,
        toolName: event.tool,
      };
      if (event.error !== undefined) message.isError = true;
      step.results.set(event.toolCallId, message);
    }
  }
  // A step cut among its calls is a model step whose answer was not all recorded: it is sent again.
  for (const list of steps.values()) {
    const last = list.at(-1);
    if (last !== undefined && last.calls.length < last.made) list.pop();
  }
  return steps;
}

/** Whether every call of `step` has its result. */
export function stepDone(step: RecoveredStep): boolean {
  return step.calls.every((call) => step.results.has(call.id));
}
