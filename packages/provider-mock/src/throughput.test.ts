import type { ProviderRequest } from '@multi-context/provider';
import { lastValueFrom } from 'rxjs';
import { expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { defaultMockReply } from './default-reply.js';
import { testRequest } from './test-helpers.js';

// Not a timed assertion (shared CI machines vary): it checks the instant path
// stays correct at volume and prints the cost per call for the record.
it('answers 100,000 instant calls with stream: false', { timeout: 60_000 }, async () => {
  const calls = 100_000;
  const mock = createMockProvider({ stream: false });
  const base = testRequest({ prompt: 'Research current trends in AI developer tools' });
  const requests: ProviderRequest[] = Array.from({ length: calls }, (_, i) => ({
    ...base,
    taskId: `task-${i}`,
  }));

  let last: unknown;
  const started = performance.now();
  for (const request of requests) last = await lastValueFrom(mock.stream(request));
  const microseconds = ((performance.now() - started) * 1000) / calls;

  console.info(`provider-mock: ${microseconds.toFixed(2)} µs per instant call (stream: false)`);
  expect(mock.getCalls().total).toBe(calls);
  expect(last).toMatchObject({ type: 'finish', text: defaultMockReply(base) });
});
