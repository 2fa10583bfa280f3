import type { EventError, Usage } from '@multi-context/events';
import type { ChatMessage, ProviderToolCall } from '@multi-context/provider';
import type { Abortable, InflightList } from './inflight-list.js';
import type { RunEnvelope } from './run-envelope.js';
import type { ResumedCalls, TaskExecution } from './task-execution.js';
import { toolStepRequest } from './task-request.js';
import { ToolBatch, type ToolBatchOwner } from './tool-batch.js';
import { MaxStepsError } from './tool-errors.js';

/** What the tool steps of a task need of the attempts around them. */
export interface ToolStepHost {
  readonly envelope: RunEnvelope;
  readonly inflight: InflightList;
  readonly runId: string;
  /** Bound of a tool call for tools that do not say. */
  readonly toolTimeoutMs: number;
  /** Why the run was cancelled, or undefined while it goes on. */
  readonly cancelReason: string | undefined;
  /** The results are in: the next model step. */
  nextStep(execution: TaskExecution): void;
  /** The task fails with `error` (its last step still asked for tools). */
  stepFailed(execution: TaskExecution, error: unknown, worker: string | undefined): void;
  /** A cancel stopped a tool call: the task ends cancelled. */
  stepCancelled(execution: TaskExecution): void;
  /** A bug in the scheduler (not a task failure): ends the run with it. */
  crash(error: unknown): void;
}

/**
 * The agent loop's tool side: a model step that asked for tool calls is
 * recorded (`task:tool-call`), its calls run in parallel, each result is
 * recorded (`task:tool-result`), and once all are in, the step joins the
 * task's transcript and request and the next model step starts. A step at
 * `maxSteps` that still asks for tools fails the task.
 */
export class ToolSteps implements ToolBatchOwner<TaskExecution> {
  readonly #host: ToolStepHost;

  constructor(host: ToolStepHost) {
    this.#host = host;
  }

  /** A model step of `execution` answered with tool calls. */
  step(
    execution: TaskExecution,
    text: string,
    calls: ProviderToolCall[],
    worker: string | undefined,
    usage: Usage | undefined,
  ): void {
    execution.steps++;
    if (execution.steps >= execution.maxSteps) {
      this.#host.stepFailed(execution, new MaxStepsError(execution.maxSteps), worker);
      return;
    }
    const step = execution.steps;
    execution.transcript.push({ role: 'assistant', content: text, toolCalls: calls });
    const taskId = execution.task.id;
    calls.forEach((call, index) => {
      this.#host.envelope.emit({
        type: 'task:tool-call',
        taskId,
        step,
        calls: calls.length,
        toolCallId: call.id,
        tool: call.name,
        arguments: call.input,
        ...(index === 0 && text !== '' ? { text } : {}),
        ...(index === 0 && usage !== undefined ? { usage } : {}),
      });
    });
    // A hard budget this step reached, or a listener, cancelled the run: the calls are
    // recorded without results, so a resume runs them rather than the model step again.
    if (this.#host.cancelReason !== undefined) {
      this.#host.stepCancelled(execution);
      return;
    }
    this.#run(execution, calls, undefined);
  }

  /** Finishes the step a resume found in flight: only its calls without a recorded result run. */
  resume(execution: TaskExecution, resumed: ResumedCalls): void {
    this.#run(execution, resumed.calls, resumed.known);
  }

  /** @see ToolBatchOwner */
  track(run: Abortable): void {
    this.#host.inflight.add(run);
  }

  /** @see ToolBatchOwner */
  untrack(run: Abortable): void {
    this.#host.inflight.delete(run);
  }

  /** @see ToolBatchOwner */
  toolEnded(
    execution: TaskExecution,
    call: ProviderToolCall,
    result: string | undefined,
    error: EventError | undefined,
    durationMs: number,
  ): void {
    this.#host.envelope.emit({
      type: 'task:tool-result',
      taskId: execution.task.id,
      step: execution.steps,
      toolCallId: call.id,
      tool: call.name,
      ...(error === undefined ? { result } : { error }),
      durationMs,
    });
  }

  /** @see ToolBatchOwner */
  toolsDone(execution: TaskExecution, messages: (ChatMessage | undefined)[]): void {
    try {
      const host = this.#host;
      if (host.cancelReason !== undefined || messages.includes(undefined)) {
        host.stepCancelled(execution);
        return;
      }
      const results = messages as ChatMessage[];
      const assistant = execution.transcript.at(-1)!;
      execution.transcript.push(...results);
      execution.request = toolStepRequest(execution.request, execution.promptPending, [
        assistant,
        ...results,
      ]);
      execution.promptPending = false;
      execution.retriesUsed = 0;
      host.nextStep(execution);
    } catch (error) {
      this.#host.crash(error);
    }
  }

  #run(
    execution: TaskExecution,
    calls: readonly ProviderToolCall[],
    known: ReadonlyMap<string, ChatMessage> | undefined,
  ): void {
    const host = this.#host;
    new ToolBatch(this, execution, calls, known, {
      tools: execution.profile.tools!.byName,
      defaultTimeoutMs: host.toolTimeoutMs,
      taskId: execution.task.id,
      runId: host.runId,
    });
  }
}
