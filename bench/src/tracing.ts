// What tracing a run with @multi-context/otel costs (issue 16): the makespan of the realistic
// scenario (3 parallel phases x 1,000 tasks x 100 ms) with and without `traceRun`, and the cost
// per task on instant tasks. Spans go where the CLI sends them: batched, as OTLP/HTTP JSON, to a
// collector in another process (a sink that answers 200).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { MultiContextOrchestrator } from '@multi-context/core';
import { traceRun } from '@multi-context/otel';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { perItemUs, scenario } from './scenario.js';
import { TIMED, timedCall, timedWorkflow } from './timed-workflow.js';

const INSTANT_TASKS = Number(process.argv[2] ?? 10_000);

/** A collector in a process of its own: reads every request and answers 200. */
async function startSink(): Promise<{ url: string; stop(): void; received(): Promise<number> }> {
  const code = `
    let spans = 0;
    const server = require('node:http').createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/count') return res.end(String(spans));
        spans += (Buffer.concat(chunks).toString().match(/"spanId"/g) ?? []).length;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${chunk.toString().trim()}`;
  return {
    url,
    stop: () => child.kill(),
    received: async () => Number(await (await fetch(`${url}/count`)).text()),
  };
}

/** The tracer provider the CLI makes (see apps/cli otel-export.ts). */
function exportingProvider(url: string): BasicTracerProvider {
  return new BasicTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }), {
        maxQueueSize: 65_536,
        maxExportBatchSize: 8_192,
        scheduledDelayMillis: 1_000,
      }),
    ],
  });
}

await scenario(async () => {
  const sink = await startSink();
  const tracerProvider = exportingProvider(sink.url);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const round = (value: number) => Math.round(value * 10) / 10;

  /**
   * Runs `workflow` with `provider`, traced or not: the makespan (to `run.result`), the time to
   * the trace's end too (every span made and ended: `tracing.ended`), and then, unmeasured in
   * either, the flush of the spans to the collector.
   */
  const makespan = async (
    workflow: ReturnType<typeof defineWorkflow>,
    provider: ReturnType<typeof defineProvider>,
    traced: boolean,
  ) => {
    const orchestrator = new MultiContextOrchestrator({ providers: { p: provider } });
    const t0 = performance.now();
    const run = orchestrator.run(workflow);
    run.events$.subscribe(() => {});
    const tracing = traced ? traceRun(run, { tracerProvider }) : undefined;
    const result = await run.result;
    const ms = performance.now() - t0;
    if (result.failedTasks > 0) throw new Error('tasks failed');
    await tracing?.ended;
    const endedMs = performance.now() - t0;
    const f0 = performance.now();
    if (traced) await tracerProvider.forceFlush();
    return { ms, endedMs, flushMs: performance.now() - f0 };
  };

  /** Alternates untraced and traced runs after a warm-up; medians of each. */
  const compare = async (
    workflow: ReturnType<typeof defineWorkflow>,
    provider: ReturnType<typeof defineProvider>,
    warmups: number,
    runs: number,
  ) => {
    for (let i = 0; i < warmups; i++) {
      await makespan(workflow, provider, false);
      await makespan(workflow, provider, true);
    }
    const plain: number[] = [];
    const traced: number[] = [];
    const ended: number[] = [];
    const flush: number[] = [];
    for (let i = 0; i < runs; i++) {
      plain.push((await makespan(workflow, provider, false)).ms);
      const withSpans = await makespan(workflow, provider, true);
      traced.push(withSpans.ms);
      ended.push(withSpans.endedMs);
      flush.push(withSpans.flushMs);
    }
    return {
      plain: median(plain),
      traced: median(traced),
      ended: median(ended),
      flush: median(flush),
    };
  };

  const timed = await compare(
    timedWorkflow('traced'),
    defineProvider({ id: 'slow', complete: timedCall }),
    3,
    7,
  );
  const instantWorkflow = defineWorkflow({
    name: 'instant',
    phases: [
      {
        name: 'wide',
        executionMode: 'parallel',
        tasks: Array.from({ length: INSTANT_TASKS }, (_, i) => ({
          contextName: `c${i}`,
          prompt: 'x',
        })),
      },
    ],
  });
  const instant = await compare(
    instantWorkflow,
    defineProvider({ id: 'instant', complete: () => 'ok' }),
    3,
    9,
  );
  await tracerProvider.forceFlush();
  const spans = await sink.received();
  await tracerProvider.shutdown();
  sink.stop();
  const { phases, tasks } = TIMED;
  return {
    name: `tracing: ${phases} parallel phases x ${tasks.toLocaleString('en')} tasks x 100 ms, and ${INSTANT_TASKS.toLocaleString('en')} instant tasks, OTLP/HTTP to a local collector`,
    untracedMs: round(timed.plain),
    tracedMs: round(timed.traced),
    overheadPercent: round(((timed.traced - timed.plain) / timed.plain) * 100),
    traceEndedMs: round(timed.ended),
    flushAfterRunMs: round(timed.flush),
    instantUntracedMs: round(instant.plain),
    // The instant run's traced time is to the trace's end: every span made and ended.
    instantTracedMs: round(instant.ended),
    perTaskUntracedUs: perItemUs(instant.plain, INSTANT_TASKS),
    perTaskTracedUs: perItemUs(instant.ended, INSTANT_TASKS),
    tracingPerTaskUs: perItemUs(instant.ended - instant.plain, INSTANT_TASKS),
    instantFlushMs: round(instant.flush),
    spansReceived: spans,
  };
});
