export { GenAI, GenAIOperation, MultiContext } from './gen-ai-attributes.js';
export {
  type ProviderCallObserver,
  type ProviderCallTracer,
  type TracedProviderCall,
  traceProviderCalls,
} from './provider-call-tracer.js';
export {
  contextFromTraceContext,
  type TraceContextCarrier,
  traceContextOf,
} from './trace-context.js';
export { type RunEventSource, type RunTrace, type TraceRunOptions, traceRun } from './trace-run.js';
export type { TracingOptions } from './tracing-options.js';
