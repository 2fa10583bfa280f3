// The floor: a bare Promise.all over N instant async calls. Usage: promise-all-baseline.ts <n>
import { perItemUs, scenario } from './scenario.js';

const n = Number(process.argv[2] ?? 10000);

await scenario(async () => {
  const call = async (i: number) => `ok ${i}`;
  const once = async () => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
    return performance.now() - t0;
  };
  await once();
  const times = [await once(), await once(), await once()].sort((a, b) => a - b);
  return { name: `bare Promise.all, ${n} calls`, calls: n, usPerCall: perItemUs(times[1]!, n) };
});
