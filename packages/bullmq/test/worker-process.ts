// A worker process for the distributed tests: a BullMQ worker whose providers
// are those of the fixture (or a mock with the options in MC_MOCK_OPTIONS). It
// prints one JSON line when ready and one per job, and closes on SIGTERM.
import { loadWorkflow } from '@multi-context/loader';
import type { Provider } from '@multi-context/provider';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { setUpProviders } from '@multi-context/providers';
import { createBullMQWorker } from '../src/index.js';

const { REDIS_URL, MC_QUEUE, MC_WORKFLOW, MC_MOCK_OPTIONS, MC_CONCURRENCY, MC_WORKER_ID } =
  process.env;
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

const worker = createBullMQWorker({
  connection: REDIS_URL,
  queueName: MC_QUEUE,
  providers,
  concurrency: Number(MC_CONCURRENCY ?? 1),
  workerId: MC_WORKER_ID,
  onJob: (report) => console.log(JSON.stringify({ job: report })),
});
await worker.ready;
console.log(JSON.stringify({ ready: worker.workerId }));

process.once('SIGTERM', () => {
  void worker.close({ abortInFlight: true }).then(() => process.exit(0));
});
