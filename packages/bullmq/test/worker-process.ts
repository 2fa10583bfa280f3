// A worker process for the distributed tests: a BullMQ worker whose providers
// are those of the fixture (or a mock with the options in MC_MOCK_OPTIONS). It
// prints one JSON line when ready and one per job, and closes on SIGTERM.
// MC_LOCK_DURATION_MS and MC_STALLED_INTERVAL_MS set the worker's lock
// settings; MC_CALL_LOG names a file that gets a JSON line when each provider
// call starts and when it ends (written at once, so a kill -9 loses none).
// MC_RATE_LIMITS is the worker's rateLimits, as JSON.
import { appendFileSync } from 'node:fs';
import { loadWorkflow } from '@multi-context/loader';
import type { Provider, ProviderEvent } from '@multi-context/provider';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { setUpProviders } from '@multi-context/providers';
import { createBullMQWorker } from '../src/index.js';

const {
  REDIS_URL,
  MC_QUEUE,
  MC_WORKFLOW,
  MC_MOCK_OPTIONS,
  MC_CONCURRENCY,
  MC_WORKER_ID,
  MC_LOCK_DURATION_MS,
  MC_STALLED_INTERVAL_MS,
  MC_CALL_LOG,
  MC_RATE_LIMITS,
} = process.env;
if (REDIS_URL === undefined || MC_QUEUE === undefined)
  throw new Error('REDIS_URL and MC_QUEUE are required');

let providers: Readonly<Record<string, Provider>>;
if (MC_MOCK_OPTIONS !== undefined) {
  providers = { mock: createMockProvider(JSON.parse(MC_MOCK_OPTIONS) as MockProviderOptions) };
} else {
  if (MC_WORKFLOW === undefined) throw new Error('MC_WORKFLOW or MC_MOCK_OPTIONS is required');
  const workflow = await loadWorkflow(MC_WORKFLOW);
  ({ providers } = await setUpProviders({
    workflow,
    workflowFile: MC_WORKFLOW,
    env: {},
    mock: { chunkDelayMs: 5 },
  }));
}

if (MC_CALL_LOG !== undefined) providers = loggingCalls(providers, MC_CALL_LOG);

interface Observer {
  next(event: ProviderEvent): void;
  error(error: unknown): void;
  complete(): void;
}

/** The same providers, each call logged to `file` when it starts and when the provider ends it. */
function loggingCalls(
  inner: Readonly<Record<string, Provider>>,
  file: string,
): Record<string, Provider> {
  const log = (entry: Record<string, unknown>) =>
    appendFileSync(file, `${JSON.stringify({ ...entry, worker: MC_WORKER_ID, at: Date.now() })}\n`);
  return Object.fromEntries(
    Object.entries(inner).map(([name, provider]) => [
      name,
      {
        specificationVersion: provider.specificationVersion,
        id: provider.id,
        // The worker only subscribes and unsubscribes: a bare subscribable is enough here.
        stream(request: Parameters<Provider['stream']>[0]) {
          log({ call: 'start', taskId: request.taskId });
          const source = provider.stream(request);
          return {
            subscribe(observer: Partial<Observer>) {
              return source.subscribe({
                next: (event) => observer.next?.(event),
                error: (error: unknown) => {
                  log({ call: 'error', taskId: request.taskId });
                  observer.error?.(error);
                },
                complete: () => {
                  log({ call: 'end', taskId: request.taskId });
                  observer.complete?.();
                },
              });
            },
          } as ReturnType<Provider['stream']>;
        },
      } as Provider,
    ]),
  );
}

const worker = createBullMQWorker({
  connection: REDIS_URL,
  queueName: MC_QUEUE,
  providers,
  ...(MC_LOCK_DURATION_MS !== undefined && { lockDurationMs: Number(MC_LOCK_DURATION_MS) }),
  ...(MC_STALLED_INTERVAL_MS !== undefined && {
    stalledIntervalMs: Number(MC_STALLED_INTERVAL_MS),
  }),
  concurrency: Number(MC_CONCURRENCY ?? 1),
  ...(MC_RATE_LIMITS !== undefined && { rateLimits: JSON.parse(MC_RATE_LIMITS) }),
  workerId: MC_WORKER_ID,
  onJob: (report) => console.log(JSON.stringify({ job: report })),
});
await worker.ready;
console.log(JSON.stringify({ ready: worker.workerId }));

process.once('SIGTERM', () => {
  void worker.close({ abortInFlight: true }).then(() => process.exit(0));
});
