import {
  type Context,
  context as contextApi,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * A span's W3C Trace Context as plain strings (`traceparent`, and
 * `tracestate` when there is one): what travels with a call to another
 * process, in a queue's job, so that the spans made there join the trace.
 */
export type TraceContextCarrier = Readonly<Record<string, string>>;

// The W3C format, whatever propagator the host registered globally (none, by default).
const propagator = new W3CTraceContextPropagator();

/** The W3C Trace Context of `span`, for a call made in another process. */
export function traceContextOf(span: Span): TraceContextCarrier {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier;
}

/**
 * The context whose parent is the remote span `carrier` names; the active
 * context when `carrier` is missing or not valid W3C Trace Context (a span
 * made in it then starts a trace of its own, or joins the host's).
 */
export function contextFromTraceContext(carrier: TraceContextCarrier | undefined): Context {
  const active = contextApi.active();
  if (carrier === undefined) return active;
  return propagator.extract(active, carrier, defaultTextMapGetter);
}
