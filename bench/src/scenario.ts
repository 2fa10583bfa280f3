/** What a scenario prints: one JSON line on stdout, read by main.ts. */
export interface ScenarioReport {
  name: string;
  [figure: string]: string | number | boolean;
}

/** Runs `fn` as the body of a scenario process and prints its report. */
export async function scenario(fn: () => Promise<ScenarioReport>): Promise<void> {
  const report = await fn();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Microseconds per item, with two decimals. */
export function perItemUs(ms: number, items: number): number {
  return Math.round((ms * 1000 * 100) / items) / 100;
}

/** Tracks the peak of heap and RSS while a run is going. */
export function memoryPeak(): { stop(): { heapMB: number; rssMB: number } } {
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    heap = Math.max(heap, usage.heapUsed);
    rss = Math.max(rss, usage.rss);
  };
  sample();
  const timer = setInterval(sample, 5);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { heapMB: Math.round(heap / 1e5) / 10, rssMB: Math.round(rss / 1e5) / 10 };
    },
  };
}
