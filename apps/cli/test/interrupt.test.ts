import { type RunEvent, runEventSchema } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { fixture, startCli } from './cli-process.js';

/** Starts a slow --json run, sends `signal` after the first task:start line, and waits for the end. */
async function interruptAfterFirstTask(signal: NodeJS.Signals) {
  const cli = startCli(['run', fixture('example_workflow.yaml'), '--json', '--mock-delay', '200']);
  let signalledAt: number | undefined;
  cli.onLine((line) => {
    if (signalledAt !== undefined) return;
    if ((JSON.parse(line) as RunEvent).type !== 'task:start') return;
    signalledAt = Date.now();
    cli.child.kill(signal);
  });
  const outcome = await cli.outcome;
  const endedAt = Date.now();
  expect(signalledAt).toBeDefined();
  return { ...outcome, afterSignalMs: endedAt - signalledAt! };
}

describe('interrupting a run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'cancels the run on %s, still prints run:end cancelled, and exits 130 within a second',
    async (signal) => {
      const { code, stdout, stderr, afterSignalMs } = await interruptAfterFirstTask(signal);
      expect(code).toBe(130);
      expect(afterSignalMs).toBeLessThan(1000);
      expect(stderr).toContain('multi-context: interrupted: cancelling the run');

      const events = stdout
        .trimEnd()
        .split('\n')
        .map((line) => runEventSchema.parse(JSON.parse(line)));
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
      const last = events.at(-1);
      expect(last).toMatchObject({ type: 'run:end', status: 'cancelled' });
      const ends = events.filter((event) => event.type === 'task:end');
      expect(ends).toHaveLength(9);
      expect(ends.every((event) => event.status === 'cancelled')).toBe(true);
    },
  );
});
