// Worker child processes for the scale-out benchmarks: started before the clock
// runs, waited for until each says `ready`, and always ended (SIGTERM, then
// SIGKILL after 5 s); a process that is not ready within 30 s is killed.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const script = fileURLToPath(new URL('./scale-out-worker.ts', import.meta.url));
const live = new Set<ChildProcess>();

/** The Redis of the bench run: main.ts starts it and passes its URL. */
export function redisUrl(): string {
  const url = process.env.MC_BENCH_REDIS_URL;
  if (url === undefined)
    throw new Error(
      'MC_BENCH_REDIS_URL is not set: run the scale-out scenarios through pnpm bench',
    );
  return url;
}

/**
 * The connection our executor and workers are given: the URL, or with
 * MC_BENCH_AUTOPIPELINING=1 ioredis options with `enableAutoPipelining` (an
 * experiment: commands made in the same tick go out in one write).
 */
export function oursConnection(
  url: string,
): string | { host: string; port: number; enableAutoPipelining: true } {
  if (process.env.MC_BENCH_AUTOPIPELINING !== '1') return url;
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), enableAutoPipelining: true };
}

/** Empties Redis, so that no job or stream of an earlier scenario weighs on the next. */
export async function flushRedis(): Promise<void> {
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}

export interface WorkerSet {
  /** The worker processes' ids (to read their CPU time from /proc). */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

function startOne(args: string[]): Promise<ChildProcess> {
  // MC_BENCH_WORKER_NODE_ARGS: more node flags for the workers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
  const nodeArgs = (process.env.MC_BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    env: { ...process.env, REDIS_URL: redisUrl() },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('a worker process was not ready within 30 s'));
    }, 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`a worker process exited (${code ?? signal}) before it was ready`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

function stopOne(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `count` worker processes (`ours` or `raw`) on `queue` and resolves
 * once every one takes jobs.
 */
export async function startWorkers(
  mode: 'ours' | 'raw',
  count: number,
  queue: string,
  concurrency: number,
  delayMs: number,
): Promise<WorkerSet> {
  const args = [mode, queue, String(concurrency), String(delayMs)];
  const started = await Promise.allSettled(Array.from({ length: count }, () => startOne(args)));
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(children.map(stopOne));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return { pids: children.map((child) => child.pid ?? 0), stop };
}

/** Kills every worker process still running: on a failure, a timeout or a signal. */
export function killAllWorkers(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Ends the worker processes however this process ends, and bounds the scenario in time. */
export function guardScenario(timeoutMs: number): void {
  const timer = setTimeout(() => {
    process.stderr.write(`scale-out scenario timed out after ${timeoutMs} ms\n`);
    killAllWorkers();
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  process.once('exit', killAllWorkers);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      killAllWorkers();
      process.exit(1);
    });
}
