// The realistic scenario several benchmarks share: 3 parallel phases of 1,000
// tasks, each task in its own context, whose provider takes 100 ms a call.
import { defineWorkflow, type Workflow } from '@multi-context/workflow';

export const TIMED = { phases: 3, tasks: 1000, latencyMs: 100 } as const;

/** The workflow of the realistic scenario. */
export function timedWorkflow(name: string): Workflow {
  return defineWorkflow({
    name,
    phases: Array.from({ length: TIMED.phases }, (_, p) => ({
      name: `phase ${p}`,
      executionMode: 'parallel' as const,
      tasks: Array.from({ length: TIMED.tasks }, (_, i) => ({
        contextName: `c${i}`,
        prompt: `p${p} t${i}`,
      })),
    })),
  });
}

/** One call of the realistic scenario's provider: answers `ok` after the latency. */
export const timedCall = (): Promise<string> =>
  new Promise((resolve) => setTimeout(() => resolve('ok'), TIMED.latencyMs));
