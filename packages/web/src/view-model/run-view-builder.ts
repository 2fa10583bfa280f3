import type { EventMessage, RunEvent, RunEventOf, Usage } from '@multi-context/events';
import type { LaneView, RunView, TaskView, TaskViewStatus, TrimView } from './run-view.js';
import { type HistoryEvent, sentHistoryAt } from './sent-history.js';
import { interruptToolCalls, toolCallEnded, toolCallStarted } from './tool-steps.js';

const STATUSES: readonly TaskViewStatus[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
];

/** A {@link RunView} with nothing folded into it yet. */
export function emptyRunView(): RunView {
  const tasks = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
    TaskViewStatus,
    number
  >;
  return {
    runId: undefined,
    workflowName: undefined,
    status: 'running',
    start: undefined,
    end: undefined,
    lastTime: undefined,
    eventCount: 0,
    lanes: [],
    phases: [],
    tasks: [],
    resumes: [],
    totals: { tasks, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, durationMs: 0 },
    result: undefined,
  };
}

/**
 * Folds a run's events, one at a time, into a {@link RunView}: the view of a
 * live run grows with each event, a journal's is built in one pass. `view` is
 * updated in place (O(1) per event, a `task:delta` included), so a page
 * re-reads it after each batch instead of copying it.
 *
 * It reads only the public event vocabulary, in the order every run keeps
 * (see `@multi-context/events`), and accepts a resumed run's record: the
 * interrupted session, `run:resume`, then the resumed session. Events of a
 * type it does not know are counted and otherwise ignored.
 *
 * @example
 * const builder = new RunViewBuilder();
 * run.events$.subscribe((event) => builder.add(event));
 * // later: builder.view.totals, builder.historyAsSent('draft')
 */
export class RunViewBuilder {
  /** The view so far. Updated in place by {@link add}. */
  readonly view: RunView = emptyRunView();

  readonly #tasks = new Map<string, TaskView>();
  readonly #lanes = new Map<string, LaneView>();
  /** Per context: its messages, trims and the run's resumes since it was first seen, in order. */
  readonly #historyEvents = new Map<string, HistoryEvent[]>();
  /** Per task: the `seq` before which its context's events make the history it sent. */
  readonly #historySeq = new Map<string, number>();
  /** Per context: the task that started last and has not been heard from since (a summary may still come for it). */
  readonly #awaitingSummary = new Map<string, string>();

  /** Folds one event into {@link view}. */
  add(event: RunEvent): void {
    const view = this.view;
    const previousTime = view.lastTime;
    view.eventCount += 1;
    view.lastTime = event.time;
    if (view.start !== undefined && view.end === undefined) {
      view.totals.durationMs = event.time - view.start;
    }
    switch (event.type) {
      case 'run:start':
        this.#runStart(event);
        break;
      case 'run:resume':
        this.#runResume(event, previousTime ?? event.time);
        break;
      case 'phase:start': {
        const phase = view.phases[event.phaseIndex];
        if (phase === undefined) break;
        phase.spans.push({ start: event.time });
        phase.status = 'running';
        break;
      }
      case 'phase:end': {
        const phase = view.phases[event.phaseIndex];
        if (phase === undefined) break;
        const span = phase.spans.at(-1);
        if (span === undefined) phase.spans.push({ start: event.time, end: event.time });
        else span.end = event.time;
        phase.status = event.status;
        break;
      }
      case 'task:start':
        this.#taskStart(event);
        break;
      case 'task:delta': {
        const task = this.#heardFrom(event.taskId);
        if (task === undefined) break;
        task.streamedText += event.text;
        task.deltas += 1;
        break;
      }
      case 'task:retry':
        this.#taskRetry(event);
        break;
      case 'task:tool-call': {
        const task = this.#heardFrom(event.taskId);
        if (task !== undefined) toolCallStarted(task, event);
        break;
      }
      case 'task:tool-result': {
        const task = this.#heardFrom(event.taskId);
        if (task !== undefined) toolCallEnded(task, event);
        break;
      }
      case 'task:end':
        this.#taskEnd(event);
        break;
      case 'context:message': {
        this.#historyFor(event.contextName).push(event);
        this.#awaitingSummary.delete(event.contextName);
        break;
      }
      case 'context:trim':
        this.#contextTrim(event);
        break;
      case 'run:end':
        this.#runEnd(event);
        break;
    }
  }

  /** The task of that id, if the run declared or started it. */
  task(taskId: string): TaskView | undefined {
    return this.#tasks.get(taskId);
  }

  /**
   * The history of its context exactly as the task sent it with its prompt:
   * the context's messages from before its start, less what trims took out,
   * with the summary in their place when the context summarises (including a
   * summary made for this very task). `undefined` for a task that never
   * started. The context's own `system` option and the profile's system
   * message are settings, not events, so they are not part of it.
   */
  historyAsSent(taskId: string): EventMessage[] | undefined {
    const task = this.#tasks.get(taskId);
    const before = this.#historySeq.get(taskId);
    if (task?.contextName === undefined || before === undefined) return undefined;
    return sentHistoryAt(this.#historyEvents.get(task.contextName) ?? [], before);
  }

  #runStart(event: RunEventOf<'run:start'>): void {
    const view = this.view;
    view.runId = event.runId;
    view.workflowName = event.workflowName;
    view.start = event.time;
    view.phases = event.phases.map((phase, phaseIndex) => ({
      phaseIndex,
      name: phase.name,
      executionMode: phase.executionMode,
      taskIds: [...phase.taskIds],
      spans: [],
      status: 'pending',
    }));
    event.phases.forEach((phase, phaseIndex) => {
      for (const taskId of phase.taskIds) this.#declare(taskId, phaseIndex);
    });
  }

  /** `cutOff`: when the interrupted session was last heard from; the interruption came after. */
  #runResume(event: RunEventOf<'run:resume'>, cutOff: number): void {
    const view = this.view;
    view.resumes.push({
      time: event.time,
      seq: event.seq,
      recoveredTaskIds: [...event.recoveredTaskIds],
      interruptedTaskIds: [...event.interruptedTaskIds],
      recoveredContexts: [...event.recoveredContexts],
    });
    view.runId ??= event.runId;
    view.workflowName ??= event.workflowName;
    view.start ??= event.time;
    view.status = 'running';
    view.end = undefined;
    view.result = undefined;
    for (const phase of view.phases) {
      const span = phase.spans.at(-1);
      if (span !== undefined && span.end === undefined) span.end = cutOff;
    }
    for (const taskId of event.interruptedTaskIds) {
      const task = this.#tasks.get(taskId);
      if (task === undefined) continue;
      const open = task.attempts.at(-1);
      if (open !== undefined && open.end === undefined) {
        open.end = Math.max(open.start, cutOff);
        open.interrupted = true;
      }
      interruptToolCalls(task);
      this.#setStatus(task, 'pending');
    }
    for (const events of this.#historyEvents.values()) events.push(event);
    this.#awaitingSummary.clear();
  }

  #taskStart(event: RunEventOf<'task:start'>): void {
    const task = this.#declare(event.taskId, event.phaseIndex);
    if (task.start !== undefined) {
      task.firstStart ??= task.start;
      const open = task.attempts.at(-1);
      if (open !== undefined && open.end === undefined) {
        open.end = event.time;
        open.interrupted = true;
      }
    }
    task.contextName = event.contextName;
    task.phaseIndex = event.phaseIndex;
    task.profile = event.profile;
    task.prompt = event.prompt;
    task.start = event.time;
    task.startSeq = event.seq;
    task.end = undefined;
    task.streamedText = '';
    task.deltas = 0;
    task.attempts.push({ attempt: 1, start: event.time, delayMs: 0 });
    this.#setStatus(task, 'running');
    const lane = this.#lane(event.contextName);
    if (!lane.taskIds.includes(task.taskId)) lane.taskIds.push(task.taskId);
    this.#historyFor(event.contextName);
    this.#historySeq.set(event.taskId, event.seq);
    this.#awaitingSummary.set(event.contextName, event.taskId);
  }

  #taskRetry(event: RunEventOf<'task:retry'>): void {
    const task = this.#heardFrom(event.taskId);
    if (task === undefined) return;
    const failed = task.attempts.at(-1);
    if (failed !== undefined && failed.end === undefined) {
      failed.end = event.time;
      failed.error = event.error;
      if (event.worker !== undefined) failed.worker = event.worker;
    }
    task.attempts.push({
      attempt: event.attempt,
      start: event.time + event.delayMs,
      delayMs: event.delayMs,
    });
    task.streamedText = '';
    task.deltas = 0;
  }

  #taskEnd(event: RunEventOf<'task:end'>): void {
    const task = this.#heardFrom(event.taskId) ?? this.#declare(event.taskId, 0);
    const last = task.attempts.at(-1);
    if (last !== undefined && last.end === undefined) {
      last.end = Math.max(last.start, event.time);
      if (event.error !== undefined) last.error = event.error;
      if (event.worker !== undefined) last.worker = event.worker;
    }
    interruptToolCalls(task);
    task.end = event.time;
    task.durationMs = event.durationMs;
    task.streamedText = '';
    task.response = event.response;
    task.json = event.json;
    task.error = event.error;
    task.worker = event.worker;
    const usage = this.view.totals.usage;
    if (task.usage !== undefined) addUsage(usage, task.usage, -1);
    task.usage = event.usage;
    if (event.usage !== undefined) addUsage(usage, event.usage, 1);
    this.#setStatus(task, event.status);
  }

  #contextTrim(event: RunEventOf<'context:trim'>): void {
    const trim: TrimView = {
      time: event.time,
      seq: event.seq,
      contextName: event.contextName,
      removed: event.removed,
      remaining: event.remaining,
    };
    if (event.summary !== undefined) trim.summary = { ...event.summary };
    this.#lane(event.contextName).trims.push(trim);
    this.#historyFor(event.contextName).push(event);
    // A summary comes between a task's start and its call: that call sends it.
    const waiting = this.#awaitingSummary.get(event.contextName);
    if (event.summary !== undefined && waiting !== undefined) {
      this.#historySeq.set(waiting, event.seq + 1);
    }
  }

  #runEnd(event: RunEventOf<'run:end'>): void {
    const view = this.view;
    view.status = event.status;
    view.end = event.time;
    view.result = event.result;
    view.totals.durationMs = event.result.durationMs;
    for (const phase of event.result.phases) {
      for (const result of phase.results) {
        const task = this.#tasks.get(result.taskId);
        if (task === undefined || task.contextName !== undefined) continue;
        task.contextName = result.contextName;
        task.profile ??= result.profile;
        this.#lane(result.contextName).taskIds.push(task.taskId);
      }
    }
  }

  /** The task, after an event of its own: a summary can no longer be for its call. */
  #heardFrom(taskId: string): TaskView | undefined {
    const task = this.#tasks.get(taskId);
    if (task?.contextName !== undefined && this.#awaitingSummary.get(task.contextName) === taskId) {
      this.#awaitingSummary.delete(task.contextName);
    }
    return task;
  }

  #declare(taskId: string, phaseIndex: number): TaskView {
    let task = this.#tasks.get(taskId);
    if (task === undefined) {
      task = {
        taskId,
        contextName: undefined,
        phaseIndex,
        status: 'pending',
        attempts: [],
        streamedText: '',
        deltas: 0,
        toolCalls: [],
      };
      this.#tasks.set(taskId, task);
      this.view.tasks.push(task);
      this.view.totals.tasks.pending += 1;
    }
    return task;
  }

  #setStatus(task: TaskView, status: TaskViewStatus): void {
    const counts = this.view.totals.tasks;
    counts[task.status] -= 1;
    counts[status] += 1;
    task.status = status;
  }

  #lane(contextName: string): LaneView {
    let lane = this.#lanes.get(contextName);
    if (lane === undefined) {
      lane = { contextName, taskIds: [], trims: [] };
      this.#lanes.set(contextName, lane);
      this.view.lanes.push(lane);
    }
    return lane;
  }

  #historyFor(contextName: string): HistoryEvent[] {
    let events = this.#historyEvents.get(contextName);
    if (events === undefined) {
      events = [];
      this.#historyEvents.set(contextName, events);
    }
    return events;
  }
}

function addUsage(into: Usage, more: Usage, sign: 1 | -1): void {
  into.inputTokens += sign * more.inputTokens;
  into.outputTokens += sign * more.outputTokens;
  into.totalTokens += sign * more.totalTokens;
  // Kept only when a task reports them, as in the events: a run without a cache shows none.
  if (more.cacheReadTokens !== undefined)
    into.cacheReadTokens = (into.cacheReadTokens ?? 0) + sign * more.cacheReadTokens;
  if (more.cacheWriteTokens !== undefined)
    into.cacheWriteTokens = (into.cacheWriteTokens ?? 0) + sign * more.cacheWriteTokens;
  if (more.cost !== undefined) into.cost = (into.cost ?? 0) + sign * more.cost;
  // A run's prices share one currency; a usage recorded before currencies existed has none.
  if (more.currency !== undefined) into.currency ??= more.currency;
}
