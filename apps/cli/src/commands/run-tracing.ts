import type { AttemptRequest } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import type { Observable } from 'rxjs';
import type { CliIo } from '../cli-io.js';
import {
  type OtelOptions,
  otelCapturesContent,
  otelEndpointOf,
  tracesNotice,
} from '../options/otel-options.js';

/** The traces of one `run` or `resume`, exported over OTLP/HTTP. */
export interface RunTracing {
  /** The W3C Trace Context of a task's attempt span, for the job of a `--redis` run. */
  traceContext(request: AttemptRequest): Readonly<Record<string, string>> | undefined;
  /** Traces the run whose (redacted) events these are: call before the run's first event. */
  attach(events$: Observable<RunEvent>): void;
  /** Sends the last spans (within `limitMs`) and stops. Safe to call twice. */
  shutdown(limitMs?: number): Promise<void>;
}

/**
 * Starts exporting traces when `--otel` or the OpenTelemetry variables ask
 * for it, and says where on stderr; undefined otherwise. The SDK and
 * `@multi-context/otel` are loaded only then.
 */
export async function openRunTracing(
  options: OtelOptions,
  io: CliIo,
): Promise<RunTracing | undefined> {
  const url = otelEndpointOf(options, io.env);
  if (url === undefined) return undefined;
  const [{ startOtelExport }, { traceRun }] = await Promise.all([
    import('./otel-export.js'),
    import('@multi-context/otel'),
  ]);
  const exported = startOtelExport(url, 'multi-context');
  const captureContent = otelCapturesContent(io.env);
  io.stderr.write(tracesNotice(url, captureContent));
  let trace: ReturnType<typeof traceRun> | undefined;
  return {
    traceContext: (request) => trace?.traceContextOf(request),
    attach(events$) {
      trace = traceRun(events$, { tracerProvider: exported.tracerProvider, captureContent });
    },
    shutdown(limitMs) {
      // Spans still open (a run that never ended) end now, so they are sent too.
      trace?.stop();
      return exported.shutdown(limitMs);
    },
  };
}
