import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/** The name and version the spans of this package are made under (the instrumentation scope). */
export const INSTRUMENTATION_NAME = '@multi-context/otel';
export const INSTRUMENTATION_VERSION = '0.1.0';

/** Where spans go, and what they may hold: what {@link traceRun} and {@link traceProviderCalls} take. */
export interface TracingOptions {
  /** The tracer to make spans with. Default: one of `tracerProvider`. */
  tracer?: Tracer;
  /** The provider of the tracer, when `tracer` is not given. Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /**
   * Record message content: prompts and answers (`gen_ai.input.messages`,
   * `gen_ai.output.messages`, `gen_ai.system_instructions`) and tool
   * arguments and results (`gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`).
   * Off by default: content may hold personal or secret data, and a trace
   * backend is seldom the place for it.
   */
  captureContent?: boolean;
}

/** The tracer `options` name, or the one of the global provider. */
export function tracerOf(options: TracingOptions): Tracer {
  if (options.tracer !== undefined) return options.tracer;
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  return provider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}
