// Where the time of a scale-out run goes (not part of pnpm bench; for BENCHMARKS.md): the same
// N instant jobs through raw BullMQ (addBulk, and `rawAdd`: a queue.add per job) and through ours, with the CPU time of the coordinator (or
// producer), of the worker processes and of redis-server, and the Redis commands per job.
// Usage (from bench/, with a redis-server running): MC_BENCH_REDIS_URL=redis://127.0.0.1:6379 \
//   node --import tsx src/scale-out-profile.ts [tasks] [workers] [concurrency]
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { flushRedis, guardScenario, redisUrl, startWorkers } from './scale-out-processes.js';
import { instantWorkflow, oursExecutor, rawProducer, round1, runOurs } from './scale-out-runs.js';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);
const workers = Number(process.argv[3] ?? 1);
const concurrency = Number(process.argv[4] ?? 100);
guardScenario(300_000);

const ticks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ms (100 Hz)
};

async function redisStats(redis: Redis) {
  const cpu = await redis.info('cpu');
  const used = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(cpu)![1]);
  const commands = new Map<string, number>();
  for (const line of (await redis.info('commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) commands.set(match[1]!, Number(match[2]));
  }
  return { cpuMs: (used('used_cpu_user') + used('used_cpu_sys')) * 1000, commands };
}

await scenario(async () => {
  await flushRedis();
  const redis = new Redis(redisUrl());
  const figures: Record<string, string | number> = {};
  // MC_BENCH_PROFILE_SIDES=ours (say): only those sides, e.g. for a CPU profile of one coordinator.
  const wanted = process.env.MC_BENCH_PROFILE_SIDES?.split(',');
  const sides = (['raw', 'rawAdd', 'ours'] as const).filter(
    (side) => wanted?.includes(side) ?? true,
  );
  for (const side of sides) {
    const queue = `bench-profile-${side}`;
    const set = await startWorkers(
      side === 'ours' ? 'ours' : 'raw',
      workers,
      queue,
      concurrency,
      0,
    );
    const producer = side === 'ours' ? undefined : rawProducer(queue, side === 'rawAdd');
    const executor = side === 'ours' ? oursExecutor(queue) : undefined;
    const once = () =>
      side !== 'ours' ? producer!.run(1, tasks) : runOurs(instantWorkflow(tasks), executor);
    await once(); // warm-up
    await redis.config('RESETSTAT');
    const before = await redisStats(redis);
    const workerCpu0 = set.pids.reduce((sum, pid) => sum + ticks(pid), 0);
    const cpu0 = process.cpuUsage();
    const ms = await once();
    const cpu = process.cpuUsage(cpu0);
    const workerCpu = set.pids.reduce((sum, pid) => sum + ticks(pid), 0) - workerCpu0;
    const after = await redisStats(redis);
    const perJob = [...after.commands]
      .map(([name, calls]) => [name, (calls - (before.commands.get(name) ?? 0)) / tasks] as const)
      .filter(([, calls]) => calls >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([name, calls]) => `${name}:${Math.round(calls * 100) / 100}`)
      .join(' ');
    figures[`${side}Ms`] = round1(ms);
    figures[`${side}CoordinatorCpuMs`] = Math.round((cpu.user + cpu.system) / 1000);
    figures[`${side}WorkersCpuMs`] = workerCpu;
    figures[`${side}RedisCpuMs`] = Math.round(after.cpuMs - before.cpuMs);
    figures[`${side}RedisCommandsPerJob`] = perJob;
    await executor?.close();
    await producer?.close();
    await set.stop();
  }
  redis.disconnect();
  return {
    name: `scale-out profile, ${tasks} instant jobs, ${workers} worker(s) x ${concurrency}`,
    ...figures,
  };
}).then(() => process.exit(0));
