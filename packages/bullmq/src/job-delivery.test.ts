import type { ProviderEventSink } from '@multi-context/core';
import { ProviderError } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { JobDelivery } from './job-delivery.js';
import type { ReplyMessage } from './reply-message.js';

function recorder(): { sink: ProviderEventSink; seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    seen,
    sink: {
      next: (event) => seen.push(event),
      error: (error) => seen.push({ error }),
      complete: () => seen.push('complete'),
      servedBy: (worker) => seen.push({ servedBy: worker }),
    },
  };
}

const delta = (token: string, seq: number, text: string): ReplyMessage => ({
  job: 'j',
  worker: `w-${token}`,
  token,
  seq,
  kind: 'event',
  event: { type: 'text-delta', text },
});

describe('JobDelivery', () => {
  it('passes events in seq order, once, then the end', () => {
    const { sink, seen } = recorder();
    const delivery = new JobDelivery(sink);
    expect(delivery.receive(delta('a', 0, 'x'))).toBe('open');
    expect(delivery.receive(delta('a', 0, 'x'))).toBe('open');
    expect(delivery.receive({ job: 'j', worker: 'w', token: 'a', seq: 1, kind: 'complete' })).toBe(
      'settled',
    );
    expect(seen).toEqual([{ servedBy: 'w-a' }, { type: 'text-delta', text: 'x' }, 'complete']);
  });

  it('lets a second delivery take over when the first sent nothing', () => {
    const { sink, seen } = recorder();
    const delivery = new JobDelivery(sink);
    delivery.receive(delta('b', 0, 'y'));
    // The run is told which worker makes the call: the one that took the job over.
    expect(seen).toEqual([{ servedBy: 'w-b' }, { type: 'text-delta', text: 'y' }]);
  });

  it('fails the attempt as retryable when a second delivery starts after the first sent pieces', () => {
    const { sink, seen } = recorder();
    const delivery = new JobDelivery(sink);
    delivery.receive(delta('a', 0, 'x'));
    expect(delivery.receive(delta('b', 0, 'x'))).toBe('settled');
    const { error } = seen[2] as { error: ProviderError };
    expect(ProviderError.isInstance(error) && error.retryable).toBe(true);
  });

  it('rebuilds a reported ProviderError', () => {
    const { sink, seen } = recorder();
    new JobDelivery(sink).receive({
      job: 'j',
      worker: 'w',
      token: 'a',
      seq: 0,
      kind: 'error',
      error: { name: 'ProviderError', message: 'm', provider: { retryable: true, status: 503 } },
    });
    expect((seen[1] as { error: ProviderError }).error).toMatchObject({
      retryable: true,
      status: 503,
    });
  });
});
