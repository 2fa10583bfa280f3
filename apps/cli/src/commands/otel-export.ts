import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** How long the last spans may take to reach the collector before the command exits without them. */
const FLUSH_LIMIT_MS = 5_000;

/** A tracer provider that posts spans to an OTLP/HTTP endpoint. */
export interface OtelExport {
  readonly tracerProvider: BasicTracerProvider;
  /**
   * Sends the spans not sent yet and stops: resolves within `limitMs`
   * (default 5 s), whether the collector answered or not.
   */
  shutdown(limitMs?: number): Promise<void>;
}

/**
 * The OpenTelemetry SDK of a command that exports traces: a tracer provider
 * whose spans are batched and posted as OTLP/HTTP (JSON) to `url`. The
 * exporter reads the other standard variables itself
 * (`OTEL_EXPORTER_OTLP_HEADERS`, timeouts); `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` name the service. Loaded only by a command that
 * traces: the SDK costs start-up time every other command should not pay.
 */
export function startOtelExport(url: string, serviceName: string): OtelExport {
  // The environment's service name and attributes win over ours.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), {
        // A wide phase ends thousands of spans at once: the default queue (2,048) would drop some.
        maxQueueSize: 65_536,
        maxExportBatchSize: 2_048,
        scheduledDelayMillis: 1_000,
        exportTimeoutMillis: FLUSH_LIMIT_MS,
      }),
    ],
  });
  let closing: Promise<void> | undefined;
  return {
    tracerProvider,
    shutdown(limitMs = FLUSH_LIMIT_MS) {
      closing ??= tracerProvider.shutdown().catch(() => {});
      return Promise.race([
        closing,
        new Promise<void>((resolve) => setTimeout(resolve, limitMs).unref()),
      ]);
    },
  };
}
