import type { EventError, RunEvent, RunEventOf } from '@multi-context/events';
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { GenAI, GenAIOperation, MultiContext } from './gen-ai-attributes.js';
import { contentString, inputMessagesJson, outputMessagesJson } from './message-content.js';
import { type TraceContextCarrier, traceContextOf } from './trace-context.js';
import {
  addTokenUsage,
  type TokenUsage,
  usageAttributes,
  usageBeyond,
} from './usage-attributes.js';

/** What a task's spans need to know of it between its events. */
interface TaskTrace {
  readonly start: RunEventOf<'task:start'>;
  /** The attempt whose span is open: 1, then one more per `task:retry` and per model step after tool calls. */
  attempt: number;
  span: Span;
  context: Context;
  /** The model step whose `chat` span is `span` (1 until the task calls tools). */
  step: number;
  /** Results still to come of the tool calls of the last step: the next step's call starts after the last. */
  pendingResults: number;
  /** Whether `span` is still open: it ends at a step's first tool call, before the task does. */
  open: boolean;
  /** The usage of the tool steps' model calls so far, each on its step's span. */
  stepsUsage: TokenUsage | undefined;
}

/**
 * Turns the events of one run, in order, into spans: the run
 * (`invoke_workflow {workflow}`), each phase (`phase {name}`), each attempt of
 * a task (`chat {model}`) and each tool call (`execute_tool {tool}`). Every
 * span starts and ends at the `time` of the events that open and close it,
 * so a trace made from a journal afterwards looks like one made live.
 */
export class EventSpans {
  readonly #tracer: Tracer;
  readonly #parent: Context;
  readonly #content: boolean;
  #runId: string | undefined;
  #run: { span: Span; context: Context } | undefined;
  readonly #phases = new Map<number, { span: Span; context: Context }>();
  readonly #tasks = new Map<string, TaskTrace>();
  readonly #tools = new Map<string, Span>();
  #lastTime = 0;

  constructor(tracer: Tracer, parent: Context, captureContent: boolean) {
    this.#tracer = tracer;
    this.#parent = parent;
    this.#content = captureContent;
  }

  /** The W3C Trace Context of the open attempt span of task `taskId` of run `runId`, if there is one. */
  traceContextOf(runId: string, taskId: string): TraceContextCarrier | undefined {
    if (runId !== this.#runId) return undefined;
    const task = this.#tasks.get(taskId);
    return task === undefined ? undefined : traceContextOf(task.span);
  }

  next(event: RunEvent): void {
    this.#lastTime = event.time;
    switch (event.type) {
      case 'run:start':
      case 'run:resume':
        this.#startRun(event);
        break;
      case 'phase:start':
        this.#startPhase(event);
        break;
      case 'phase:end':
        this.#endPhase(event);
        break;
      case 'task:start':
        this.#startTask(event);
        break;
      case 'task:retry':
        this.#retry(event);
        break;
      case 'task:tool-call':
        this.#startTool(event);
        break;
      case 'task:tool-result':
        this.#endTool(event);
        break;
      case 'task:end':
        this.#endTask(event);
        break;
      case 'run:end':
        this.#endRun(event);
        break;
    }
  }

  /** Ends every span still open at the last event's time: the stream ended without `run:end`. */
  endAll(): void {
    const time = this.#lastTime;
    this.#endChildren(time);
    this.#run?.span.end(time);
    this.#run = undefined;
  }

  #endChildren(time: number): void {
    for (const span of this.#tools.values()) span.end(time);
    this.#tools.clear();
    for (const task of this.#tasks.values()) if (task.open) task.span.end(time);
    this.#tasks.clear();
    for (const phase of this.#phases.values()) phase.span.end(time);
    this.#phases.clear();
  }

  #startRun(event: RunEventOf<'run:start'> | RunEventOf<'run:resume'>): void {
    this.#runId = event.runId;
    const attributes: Attributes = {
      [GenAI.OPERATION_NAME]: GenAIOperation.INVOKE_WORKFLOW,
      [GenAI.WORKFLOW_NAME]: event.workflowName,
      [MultiContext.RUN_ID]: event.runId,
    };
    if (event.type === 'run:start') attributes[MultiContext.RUN_TOTAL_TASKS] = event.totalTasks;
    else attributes[MultiContext.RUN_RESUMED] = true;
    const span = this.#tracer.startSpan(
      `${GenAIOperation.INVOKE_WORKFLOW} ${event.workflowName}`,
      { kind: SpanKind.INTERNAL, startTime: event.time, attributes },
      this.#parent,
    );
    this.#run = { span, context: trace.setSpan(this.#parent, span) };
  }

  #startPhase(event: RunEventOf<'phase:start'>): void {
    const parent = this.#run?.context ?? this.#parent;
    const span = this.#tracer.startSpan(
      `phase ${event.phaseName}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: event.time,
        attributes: {
          [MultiContext.PHASE_INDEX]: event.phaseIndex,
          [MultiContext.PHASE_NAME]: event.phaseName,
        },
      },
      parent,
    );
    this.#phases.set(event.phaseIndex, { span, context: trace.setSpan(parent, span) });
  }

  #endPhase(event: RunEventOf<'phase:end'>): void {
    const phase = this.#phases.get(event.phaseIndex);
    if (phase === undefined) return;
    this.#phases.delete(event.phaseIndex);
    phase.span.setAttribute(MultiContext.PHASE_STATUS, event.status);
    if (event.status === 'failed') phase.span.setStatus({ code: SpanStatusCode.ERROR });
    phase.span.end(event.time);
  }

  #startTask(event: RunEventOf<'task:start'>): void {
    const phase = this.#phases.get(event.phaseIndex);
    const parent = phase?.context ?? this.#run?.context ?? this.#parent;
    const span = this.#startAttempt(event, 1, event.time, parent);
    this.#tasks.set(event.taskId, {
      start: event,
      attempt: 1,
      span,
      context: trace.setSpan(parent, span),
      step: 1,
      pendingResults: 0,
      open: true,
      stepsUsage: undefined,
    });
  }

  /** A `chat {model}` span: one attempt's provider call (or, with tools, its model steps). */
  #startAttempt(
    start: RunEventOf<'task:start'>,
    attempt: number,
    time: number,
    parent: Context,
  ): Span {
    const attributes: Attributes = {
      [GenAI.OPERATION_NAME]: GenAIOperation.CHAT,
      [GenAI.CONVERSATION_ID]: start.contextName,
      [MultiContext.TASK_ID]: start.taskId,
      [MultiContext.TASK_ATTEMPT]: attempt,
      [MultiContext.TASK_PROFILE]: start.profile,
    };
    if (start.provider !== undefined) attributes[GenAI.PROVIDER_NAME] = start.provider;
    if (start.model !== undefined) attributes[GenAI.REQUEST_MODEL] = start.model;
    if (this.#content) {
      attributes[GenAI.INPUT_MESSAGES] = inputMessagesJson([
        { role: 'user', content: start.prompt },
      ]);
    }
    const name =
      start.model === undefined ? GenAIOperation.CHAT : `${GenAIOperation.CHAT} ${start.model}`;
    return this.#tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, startTime: time, attributes },
      parent,
    );
  }

  #retry(event: RunEventOf<'task:retry'>): void {
    const task = this.#tasks.get(event.taskId);
    if (task === undefined) return;
    failed(task.span, event.error);
    if (event.worker !== undefined) task.span.setAttribute(MultiContext.WORKER_ID, event.worker);
    task.span.end(event.time);
    // The next attempt starts once the delay is over; its span exists now, so a call sent
    // to another process can name it as its parent.
    const parent = this.#phases.get(task.start.phaseIndex)?.context ?? this.#run?.context;
    task.attempt = event.attempt;
    task.span = this.#startAttempt(
      task.start,
      event.attempt,
      event.time + event.delayMs,
      parent ?? this.#parent,
    );
    task.context = trace.setSpan(parent ?? this.#parent, task.span);
  }

  #startTool(event: RunEventOf<'task:tool-call'>): void {
    const task = this.#tasks.get(event.taskId);
    if (task !== undefined && task.pendingResults === 0) {
      // The first call of a step: the model's answer for this step is complete, so its
      // chat span ends here; the calls stay its children (it asked for them).
      task.pendingResults = event.calls;
      task.step = event.step;
      task.span.setAttribute(GenAI.RESPONSE_FINISH_REASONS, ['tool_calls']);
      if (event.usage !== undefined) {
        task.span.setAttributes(usageAttributes(event.usage));
        task.stepsUsage = addTokenUsage(task.stepsUsage, event.usage);
      }
      task.span.end(event.time);
      task.open = false;
    }
    const attributes: Attributes = {
      [GenAI.OPERATION_NAME]: GenAIOperation.EXECUTE_TOOL,
      [GenAI.TOOL_NAME]: event.tool,
      [GenAI.TOOL_CALL_ID]: event.toolCallId,
      [GenAI.TOOL_TYPE]: 'function',
      [MultiContext.TASK_ID]: event.taskId,
      [MultiContext.TOOL_STEP]: event.step,
    };
    if (this.#content) attributes[GenAI.TOOL_CALL_ARGUMENTS] = contentString(event.arguments);
    const span = this.#tracer.startSpan(
      `${GenAIOperation.EXECUTE_TOOL} ${event.tool}`,
      { kind: SpanKind.INTERNAL, startTime: event.time, attributes },
      task?.context ?? this.#run?.context ?? this.#parent,
    );
    this.#tools.set(toolKey(event.taskId, event.toolCallId), span);
  }

  #endTool(event: RunEventOf<'task:tool-result'>): void {
    const key = toolKey(event.taskId, event.toolCallId);
    const span = this.#tools.get(key);
    if (span === undefined) return;
    this.#tools.delete(key);
    if (event.error !== undefined) failed(span, event.error);
    else if (this.#content && event.result !== undefined)
      span.setAttribute(GenAI.TOOL_CALL_RESULT, event.result);
    span.end(event.time);
    const task = this.#tasks.get(event.taskId);
    if (task === undefined || task.pendingResults === 0) return;
    task.pendingResults--;
    if (task.pendingResults > 0) return;
    // The step's last result: the task's next model call starts now, as a chat span of its own.
    const parent =
      this.#phases.get(task.start.phaseIndex)?.context ?? this.#run?.context ?? this.#parent;
    task.attempt++;
    task.span = this.#startAttempt(task.start, task.attempt, event.time, parent);
    task.span.setAttribute(MultiContext.TOOL_STEP, task.step + 1);
    task.context = trace.setSpan(parent, task.span);
    task.open = true;
  }

  #endTask(event: RunEventOf<'task:end'>): void {
    const task = this.#tasks.get(event.taskId);
    // A task that never started (skipped, cancelled before its turn) has no span.
    if (task === undefined) return;
    this.#tasks.delete(event.taskId);
    // Cancelled between a step's tool calls and the next model call: no chat span is open.
    if (!task.open) return;
    const { span } = task;
    span.setAttribute(MultiContext.TASK_STATUS, event.status);
    if (event.worker !== undefined) span.setAttribute(MultiContext.WORKER_ID, event.worker);
    // The task's end gives its total: the last call's share is what its steps' spans do not
    // have (all of it in a record made before steps carried their usage).
    const { usage } = event;
    if (usage !== undefined) {
      const last = task.stepsUsage === undefined ? usage : usageBeyond(usage, task.stepsUsage);
      span.setAttributes(usageAttributes(last));
    }
    if (event.status === 'succeeded') {
      span.setAttribute(GenAI.RESPONSE_FINISH_REASONS, ['stop']);
      if (this.#content && event.response !== undefined)
        span.setAttribute(GenAI.OUTPUT_MESSAGES, outputMessagesJson(event.response));
    } else if (event.error !== undefined) {
      failed(span, event.error);
    }
    span.end(event.time);
  }

  #endRun(event: RunEventOf<'run:end'>): void {
    const run = this.#run;
    if (run === undefined) return;
    const { result } = event;
    this.#run = undefined;
    // A cancel can leave tool calls without results: what is open ends with the run.
    this.#endChildren(event.time);
    run.span.setAttribute(MultiContext.RUN_STATUS, event.status);
    run.span.setAttributes(usageAttributes(result.usage));
    if (event.status === 'failed') {
      run.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `${result.failedTasks} of ${result.totalTasks} tasks failed`,
      });
      run.span.setAttribute(GenAI.ERROR_TYPE, 'TaskFailed');
    }
    run.span.end(event.time);
  }
}

/** Marks `span` as failed with `error`: `error.type` is its HTTP status when it had one, else its name. */
export function failed(span: Span, error: EventError): void {
  span.setAttribute(
    GenAI.ERROR_TYPE,
    error.status === undefined ? error.name : String(error.status),
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

function toolKey(taskId: string, toolCallId: string): string {
  return `${taskId}\u0000${toolCallId}`;
}
