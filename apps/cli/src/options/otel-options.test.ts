import { describe, expect, it } from 'vitest';
import { otelCapturesContent, otelEndpointOf, parseOtelUrl } from './otel-options.js';

describe('otelEndpointOf', () => {
  it('is off without --otel or the OTLP variables', () => {
    expect(otelEndpointOf({}, {})).toBeUndefined();
  });

  it('appends /v1/traces to a base endpoint, and takes the traces endpoint as it is', () => {
    expect(otelEndpointOf({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe(
      'http://c:4318/v1/traces',
    );
    expect(
      otelEndpointOf(
        {},
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9/custom',
        },
      ),
    ).toBe('http://t:9/custom');
  });

  it('lets --otel win, even over OTEL_SDK_DISABLED', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_SDK_DISABLED: 'true' };
    expect(otelEndpointOf({ otel: 'http://flag:4318/v1/traces' }, env)).toBe(
      'http://flag:4318/v1/traces',
    );
    expect(otelEndpointOf({}, env)).toBeUndefined();
    expect(
      otelEndpointOf({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://e', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
  });

  it('refuses an --otel that is not an http(s) URL', () => {
    expect(() => parseOtelUrl('127.0.0.1:4318')).toThrow(/http/);
    expect(() => parseOtelUrl('grpc://c:4317')).toThrow(/http/);
  });

  it('captures content only when the GenAI variable says true', () => {
    expect(otelCapturesContent({})).toBe(false);
    expect(
      otelCapturesContent({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'TRUE' }),
    ).toBe(true);
  });
});
