import type { RunEvent } from '@multi-context/events';
import { type Context, context as contextApi } from '@opentelemetry/api';
import { EventSpans } from './event-spans.js';
import type { TraceContextCarrier } from './trace-context.js';
import { type TracingOptions, tracerOf } from './tracing-options.js';

/** What {@link traceRun} reads: any subscribable of run events (an rxjs `Observable`, a run's `events$`). */
export interface RunEventSource {
  subscribe(observer: {
    next: (event: RunEvent) => void;
    error: (error: unknown) => void;
    complete: () => void;
  }): { unsubscribe(): void };
}

/** What {@link traceRun} takes. */
export interface TraceRunOptions extends TracingOptions {
  /** The context the run span is a child of. Default: the active context when `traceRun` is called. */
  parent?: Context;
}

/** A run being traced. */
export interface RunTrace {
  /**
   * The W3C Trace Context of the attempt span of a task in flight: hand it to
   * a call made in another process (the BullMQ executor's `traceContext`
   * option does) so that the spans made there are children of the attempt.
   * Undefined for a task of another run, or one with no attempt open.
   */
  traceContextOf(call: { runId: string; taskId: string }): TraceContextCarrier | undefined;
  /** Resolves once the run's events have ended (after `run:end`) and every span with them. */
  readonly ended: Promise<void>;
  /** Stops tracing: the spans still open end at the time of the last event seen. */
  stop(): void;
}

/**
 * Traces a run: turns its events into OpenTelemetry spans that follow the
 * GenAI semantic conventions. Subscribe before the run starts (a run starts
 * on the next tick, so right after `orchestrator.run()` is in time), or give
 * a source that replays the run from its first event: spans are made from
 * the events' times either way.
 *
 * Events become spans in batches, on the next turn of the event loop (off
 * the run's critical path), or at once when {@link RunTrace.traceContextOf}
 * needs the span of a call being made.
 *
 * The trace: `invoke_workflow {workflow}` > `phase {name}` > `chat {model}`,
 * one per attempt of a task (a retry is a span of its own), > `execute_tool
 * {tool}`, one per tool call. Spans are ended, not exported: exporting is the
 * tracer provider's business (flush or shut it down before the process exits).
 *
 * @param source - The run (its `events$` is read) or a stream of its events.
 * @example
 * ```ts
 * const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
 * const run = orchestrator.run(workflow);
 * const tracing = traceRun(run, { tracerProvider: provider });
 * await run.result;
 * await tracing.ended;
 * await provider.forceFlush();
 * ```
 */
export function traceRun(
  source: RunEventSource | { events$: RunEventSource },
  options: TraceRunOptions = {},
): RunTrace {
  const events$ = 'events$' in source ? source.events$ : source;
  const spans = new EventSpans(
    tracerOf(options),
    options.parent ?? contextApi.active(),
    options.captureContent === true,
  );
  let settle: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    settle = resolve;
  });
  // Events are turned into spans a moment later, in batches, not as they come: a span costs
  // microseconds, and a run emits its events on its own critical path (the last task:end of a
  // phase starts the next phase). The spans' times are the events' own, so nothing is lost.
  let pending: RunEvent[] = [];
  let scheduled = false;
  let done = false;
  const drain = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    for (const event of batch) spans.next(event);
  };
  const finish = () => {
    if (done) return;
    done = true;
    drain();
    spans.endAll();
    settle();
  };
  const subscription = events$.subscribe({
    next: (event) => {
      if (done) return;
      pending.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    error: finish,
    complete: finish,
  });
  return {
    traceContextOf: ({ runId, taskId }) => {
      // Asked for while the attempt's call is being made: its span must exist now.
      if (pending.length > 0) drain();
      return spans.traceContextOf(runId, taskId);
    },
    ended,
    stop() {
      subscription.unsubscribe();
      finish();
    },
  };
}
