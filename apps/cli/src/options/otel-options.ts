import { InvalidArgumentError, Option } from 'commander';

/** Options of the commands that can export traces: `--otel <url>`. */
export interface OtelOptions {
  /** `--otel`: the OTLP/HTTP endpoint (a collector's base URL, or its `/v1/traces` URL). */
  otel?: string;
}

/** An `--otel` value: an http:// or https:// URL, checked here so a typo is a usage error. */
export function parseOtelUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an OTLP/HTTP URL such as http://127.0.0.1:4318.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http:// or https:// URL.');
  return value;
}

/** `--otel <url>`: export the command's traces over OTLP/HTTP. */
export function otelOption(what: string): Option {
  return new Option(
    '--otel <url>',
    `export ${what} as OpenTelemetry traces over OTLP/HTTP to this collector (default: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or $OTEL_EXPORTER_OTLP_ENDPOINT, when set)`,
  ).argParser(parseOtelUrl);
}

/**
 * Where traces go, as the OpenTelemetry environment variables say (and
 * `--otel`, which wins): the URL spans are posted to, or undefined when
 * tracing is off. As the specification has it,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as it is, while
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (and `--otel`) is a base URL that gets
 * `/v1/traces`, unless it already ends so. `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none` turn tracing off, but never a `--otel` given.
 */
export function otelEndpointOf(
  options: OtelOptions,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (options.otel !== undefined) return tracesUrl(options.otel);
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? tracesUrl(base) : undefined;
}

/** Whether message content goes into the spans: the GenAI instrumentations' opt-in variable. */
export function otelCapturesContent(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true';
}

function tracesUrl(base: string): string {
  if (/\/v1\/traces\/?$/.test(base)) return base;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** The line a command that exports traces says on stderr: where they go, and whether with content. */
export function tracesNotice(url: string, captureContent: boolean): string {
  const content = captureContent ? ', with message content' : '';
  return `multi-context: traces go to ${url} (OpenTelemetry, OTLP/HTTP${content})\n`;
}
