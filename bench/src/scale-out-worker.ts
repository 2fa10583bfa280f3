// A worker process of the scale-out benchmarks (issue 13), started and ended by
// scale-out-processes.ts. Usage: scale-out-worker.ts <ours|raw> <queue> <concurrency> <delayMs>
// with REDIS_URL set. `ours`: createBullMQWorker with the mock provider (answers `ok`, not
// streamed, after delayMs); `raw`: a plain BullMQ Worker whose processor returns at once (or
// after delayMs). Prints `ready` once it takes jobs, closes on SIGTERM, and exits when its
// parent goes away (stdin closes), so it never outlives the bench.
import { createBullMQWorker } from '@multi-context/bullmq';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { oursConnection } from './scale-out-processes.js';
import { benchProvider } from './scale-out-provider.js';

const [mode, queueName, concurrencyArg, delayArg] = process.argv.slice(2);
const url = process.env.REDIS_URL;
if (url === undefined || queueName === undefined)
  throw new Error('REDIS_URL and a queue name are required');
const concurrency = Number(concurrencyArg ?? 16);
const delayMs = Number(delayArg ?? 0);
const wait = () => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

let close: () => Promise<void>;
if (mode === 'ours') {
  const worker = createBullMQWorker({
    connection: oursConnection(url),
    queueName,
    providers: { mock: benchProvider(delayMs) },
    concurrency,
  });
  await worker.ready;
  close = () => worker.close({ abortInFlight: true });
} else if (mode === 'raw') {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const worker = new Worker(queueName, delayMs > 0 ? wait : async () => {}, {
    connection,
    concurrency,
  });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  close = async () => {
    await worker.close(true);
    connection.disconnect();
  };
} else {
  throw new Error(`unknown worker mode ${mode}: ours or raw`);
}

const end = () => {
  const timer = setTimeout(() => process.exit(1), 3000);
  timer.unref();
  void close().then(() => process.exit(0));
};
process.once('SIGTERM', end);
process.stdin.on('end', end);
process.stdin.resume();
process.stdout.write('ready\n');
