import type { WorkerJobReport } from '@multi-context/bullmq';
import { locateIssues, parseWorkflow, type Workflow } from '@multi-context/loader';
import { setUpProviders } from '@multi-context/providers';
import type { ProfilesDocument } from '@multi-context/workflow';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_MOCK_DELAY_MS } from '../options/cli-defaults.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  type OtelOptions,
  otelCapturesContent,
  otelEndpointOf,
  tracesNotice,
} from '../options/otel-options.js';
import type { RedisOptions } from '../options/redis-options.js';
import { loadProfilesFile, originOf } from './load-workflow-file.js';
import { reachRedis } from './redis-executor.js';

/** The options of `multi-context worker`, as parsed from the command line. */
export interface WorkerCommandOptions extends RedisOptions, OtelOptions {
  redis: string;
  profiles?: string;
  concurrency?: number;
  lockDuration?: number;
  verbose?: boolean;
  mockDelay?: number;
  mockFail?: string[];
}

/**
 * `multi-context worker --redis <url>`: makes the provider calls that
 * `run --redis` coordinators put on the queue, with the providers of the
 * profiles file and this machine's environment, until Ctrl-C or SIGTERM.
 * The first signal stops taking jobs and lets the calls in flight finish;
 * a second aborts them and exits at once. Resolves to 130 once closed.
 */
export async function workerCommand(options: WorkerCommandOptions, io: CliIo): Promise<number> {
  const profiles =
    options.profiles === undefined ? undefined : await loadProfilesFile(options.profiles, io);
  const selection = await setUpProviders({
    workflow: servedWorkflow(profiles),
    ...(profiles !== undefined && {
      profiles,
      profilesFile: originOf(options.profiles ?? '', io),
    }),
    env: io.env,
    locate: locateIssues,
    // Shared with the other workers through Redis (below), not counted in this process alone.
    applyRateLimits: false,
    mock: {
      chunkDelayMs: options.mockDelay ?? DEFAULT_MOCK_DELAY_MS,
      failContexts: options.mockFail ?? [],
    },
  });
  if (selection.notice !== undefined) io.stderr.write(`multi-context: ${selection.notice}\n`);

  const { createBullMQWorker, redisTarget, DEFAULT_QUEUE_NAME } = await reachRedis(options.redis);
  const queueName = options.queue ?? DEFAULT_QUEUE_NAME;
  const tracing = await openWorkerTracing(options, io);
  const worker = createBullMQWorker({
    ...(tracing !== undefined && { traceCall: tracing.traceCall }),
    connection: options.redis,
    providers: selection.providers,
    // Counted in Redis, so every worker given the same profiles file keeps to one limit together.
    rateLimits: selection.rateLimits,
    queueName,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    // The stalled-job check runs as often as the lock lasts: a dead worker's calls are taken again within twice it.
    ...(options.lockDuration !== undefined && {
      lockDurationMs: options.lockDuration,
      stalledIntervalMs: options.lockDuration,
    }),
    onJob: (report) => {
      // A refused job is the operator's problem (a stranger on the queue, a version mismatch): always said.
      if (report.outcome === 'rejected') io.stderr.write(`multi-context: ${jobLine(report)}\n`);
      else if (options.verbose === true) io.stdout.write(`${jobLine(report)}\n`);
    },
  });

  let interrupts = 0;
  const stopped = new Promise<void>((resolve) => {
    const stopListening = io.onInterrupt(() => {
      interrupts++;
      if (interrupts === 1) {
        io.stderr.write(
          'multi-context: stopping: no new jobs; the calls in flight finish (press Ctrl-C again to abort them)\n',
        );
        void worker
          .close()
          .then(() => tracing?.shutdown())
          .then(() => {
            stopListening();
            resolve();
          });
        return;
      }
      void worker
        .close({ abortInFlight: true })
        .then(() => tracing?.shutdown(1_000))
        .finally(() => io.exit(ExitCode.interrupted));
    });
  });

  await worker.ready;
  const names = Object.keys(selection.providers).join(', ');
  const concurrency = options.concurrency ?? 16;
  const limits = Object.entries(selection.rateLimits).map(
    ([name, limit]) =>
      `${name} ${limit.requests}/${formatWindow(limit.perMs ?? 60_000)}${limit.by === 'model' ? ' per model' : ''}`,
  );
  io.stdout.write(
    `worker ${worker.workerId} ready: queue ${queueName} at ${redisTarget(options.redis)}, providers ${names}, concurrency ${concurrency}${limits.length > 0 ? `, rate limits ${limits.join(', ')}` : ''}\n`,
  );
  await stopped;
  io.stderr.write(`multi-context: worker ${worker.workerId} stopped\n`);
  return ExitCode.interrupted;
}

/**
 * The tracing of a worker started with `--otel` (or the OTLP variables): each
 * provider call becomes a span, a child of its run's attempt span when the
 * job carries its trace context. Loaded only then.
 */
async function openWorkerTracing(options: OtelOptions, io: CliIo) {
  const url = otelEndpointOf(options, io.env);
  if (url === undefined) return undefined;
  const [{ startOtelExport }, { traceProviderCalls }] = await Promise.all([
    import('./otel-export.js'),
    import('@multi-context/otel'),
  ]);
  const exported = startOtelExport(url, 'multi-context-worker');
  const captureContent = otelCapturesContent(io.env);
  io.stderr.write(tracesNotice(url, captureContent));
  return {
    traceCall: traceProviderCalls({ tracerProvider: exported.tracerProvider, captureContent }),
    shutdown: (limitMs?: number) => exported.shutdown(limitMs),
  };
}

/** One job's end, in one line: `job <id> <task>: completed`, `... aborted (reason)`. */
function jobLine(report: WorkerJobReport): string {
  const task = report.taskId === undefined ? '' : ` ${report.taskId}`;
  const reason = report.reason === undefined ? '' : ` (${report.reason})`;
  const until =
    report.until === undefined ? '' : ` until ${new Date(report.until).toISOString()} (rate limit)`;
  return `job ${report.jobId}${task}: ${report.outcome}${reason}${until}`;
}

/** A rate limit's window as written in a profiles file: `1m`, `10s`, `500ms`. */
function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * A workflow with a task for every profile of the profiles file and one with
 * no profile: `setUpProviders` makes the providers a workflow's tasks reach,
 * and a worker must be able to answer for any of them, and for the
 * environment's default provider (the offline mock when no API key is set).
 */
function servedWorkflow(profiles: ProfilesDocument | undefined): Workflow {
  const names = Object.keys(profiles?.profiles ?? {});
  const tasks = [
    ...names.map((profile, index) => ({ context_name: `c${index}`, profile, prompt: '-' })),
    ...(names.length === 0 ? [{ context_name: 'default', prompt: '-' }] : []),
  ];
  return parseWorkflow(JSON.stringify({ name: 'worker', phases: [{ name: 'serve', tasks }] }));
}
