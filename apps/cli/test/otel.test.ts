import { type RunEvent, runEventSchema } from '@multi-context/events';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, startCli } from './cli-process.js';
import { type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';

let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
let redis: TestRedis | undefined;

beforeAll(async () => {
  collector = await startOtlpReceiver();
});

afterEach(() => {
  collector.spans.length = 0;
});

afterAll(async () => {
  await collector.close();
  await redis?.stop();
}, 30_000);

function events(stdout: string): RunEvent[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => runEventSchema.parse(JSON.parse(line)));
}

/** Each span's name, indented under its parent, children in start order: the trace as a UI shows it. */
function tree(spans: ReceivedSpan[]): string[] {
  const lines: string[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    const children = spans
      .filter((span) => span.parentSpanId === parent)
      .sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));
    for (const span of children) {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return lines;
}

describe('run --otel', () => {
  it("exports the run's spans over OTLP/HTTP before it exits, and says where", async () => {
    const { code, stdout, stderr } = await runCli([
      'run',
      fixture('seed_readme_workflow.yaml'),
      '--json',
      '--otel',
      collector.url,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      `multi-context: traces go to ${collector.url}/v1/traces (OpenTelemetry, OTLP/HTTP)\n`,
    );
    expect(collector.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    const runEvents = events(stdout);
    const start = runEvents[0]!;
    if (start.type !== 'run:start') throw new Error('no run:start');
    const { spans } = collector;
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(spans.every((s) => s.service === 'multi-context')).toBe(true);
    const [run] = spans.filter((s) => s.parentSpanId === undefined);
    expect(run!.name).toBe(`invoke_workflow ${start.workflowName}`);
    expect(run!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'multi_context.run.id': start.runId,
      'multi_context.run.status': 'succeeded',
    });
    expect(run!.startMs).toBe(start.time);
    const phases = spans.filter((s) => s.parentSpanId === run!.spanId);
    expect(phases.map((s) => s.name)).toEqual(start.phases.map((p) => `phase ${p.name}`));
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(start.totalTasks);
    const phaseIds = new Set(phases.map((s) => s.spanId));
    for (const chat of chats) {
      expect(phaseIds.has(chat.parentSpanId!)).toBe(true);
      expect(chat.attributes['gen_ai.provider.name']).toBe('mock');
      expect(chat.attributes['gen_ai.conversation.id']).toEqual(expect.any(String));
      expect(chat.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
      // No content without the opt-in.
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    }
    expect(tree(spans)).toHaveLength(1 + start.phases.length + start.totalTasks);
  }, 30_000);

  it('reads OTEL_EXPORTER_OTLP_ENDPOINT, records content when opted in, and marks failures', async () => {
    const { code, stderr } = await runCli(
      ['run', fixture('seed_readme_workflow.yaml'), '--quiet', '--mock-fail', 'market_research'],
      {
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
          OTEL_SERVICE_NAME: 'my-pipeline',
        },
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      `traces go to ${collector.url}/v1/traces (OpenTelemetry, OTLP/HTTP, with message content)`,
    );
    const { spans } = collector;
    expect(spans.every((s) => s.service === 'my-pipeline')).toBe(true);
    const failed = spans.filter((s) => s.attributes['multi_context.task.status'] === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed) {
      expect(span.attributes['error.type']).toEqual(expect.any(String));
      expect(span.status.code).toBe(2);
    }
    const succeeded = spans.find((s) => s.attributes['multi_context.task.status'] === 'succeeded')!;
    expect(JSON.parse(String(succeeded.attributes['gen_ai.output.messages']))).toEqual([
      expect.objectContaining({ role: 'assistant' }),
    ]);
    const [run] = spans.filter((s) => s.parentSpanId === undefined);
    expect(run!.status.code).toBe(2);
  }, 30_000);

  it('sends the spans of a run cancelled with Ctrl-C before it exits', async () => {
    const cli = startCli([
      'run',
      fixture('example_workflow.yaml'),
      '--json',
      '--mock-delay',
      '200',
      '--otel',
      collector.url,
    ]);
    let signalled = false;
    cli.onLine((line) => {
      if (signalled || (JSON.parse(line) as RunEvent).type !== 'task:start') return;
      signalled = true;
      cli.child.kill('SIGINT');
    });
    const { code } = await cli.outcome;
    expect(code).toBe(130);
    const [run] = collector.spans.filter((s) => s.parentSpanId === undefined);
    expect(run!.attributes['multi_context.run.status']).toBe('cancelled');
    const chats = collector.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.length).toBeGreaterThan(0);
    expect(chats.every((s) => s.attributes['error.type'] === 'RunCancelledError')).toBe(true);
  }, 30_000);
});

describe('run --redis --otel with a worker --otel', () => {
  it("puts the worker's calls in the run's trace, under their attempts", async () => {
    redis = await startRedisServer();
    const worker = startCli([
      'worker',
      '--redis',
      redis.url,
      '--mock-delay',
      '0',
      '--otel',
      collector.url,
    ]);
    const ready = new Promise<void>((resolve) =>
      worker.onLine((line) => line.startsWith('worker ') && resolve()),
    );
    await ready;
    const { code } = await runCli([
      'run',
      fixture('seed_readme_workflow.yaml'),
      '--quiet',
      '--no-journal',
      '--redis',
      redis.url,
      '--otel',
      collector.url,
    ]);
    expect(code).toBe(0);
    worker.child.kill('SIGINT');
    expect((await worker.outcome).code).toBe(130);
    const coordinator = collector.spans.filter((s) => s.service === 'multi-context');
    const workerSpans = collector.spans.filter((s) => s.service === 'multi-context-worker');
    const attempts = coordinator.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(workerSpans).toHaveLength(attempts.length);
    const traceId = coordinator[0]!.traceId;
    for (const call of workerSpans) {
      expect(call.traceId).toBe(traceId);
      const attempt = attempts.find((s) => s.spanId === call.parentSpanId);
      expect(attempt?.attributes['multi_context.task.id']).toBe(
        call.attributes['multi_context.task.id'],
      );
      expect(call.attributes['multi_context.worker.id']).toEqual(expect.any(String));
    }
  }, 60_000);
});
