import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { abortableStream } from './abortable-stream.js';
import { ProviderAbortError, ProviderError } from './provider-error.js';

const wrap = (error: unknown) =>
  new ProviderError({ message: `wrapped: ${(error as Error).message}`, cause: error });

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('abortableStream', () => {
  it('is cold, emits what the producer emits, then completes', async () => {
    let calls = 0;
    const stream = abortableStream<number>(
      new AbortController().signal,
      async (_signal, emit) => {
        calls++;
        emit(1);
        await tick();
        emit(2);
      },
      wrap,
    );
    await tick();
    expect(calls).toBe(0);
    expect(await lastValueFrom(stream.pipe(toArray()))).toEqual([1, 2]);
    expect(calls).toBe(1);
  });

  it('maps what the producer throws through toError', async () => {
    const stream = abortableStream<number>(
      new AbortController().signal,
      async () => {
        throw new Error('boom');
      },
      wrap,
    );
    await expect(lastValueFrom(stream)).rejects.toThrow('wrapped: boom');
  });

  it('passes a ProviderError thrown by the producer through as it is', async () => {
    const refused = new ProviderError({ message: 'HTTP 400', status: 400 });
    const stream = abortableStream<number>(
      new AbortController().signal,
      async () => {
        throw refused;
      },
      wrap,
    );
    await expect(lastValueFrom(stream)).rejects.toBe(refused);
  });

  it('aborts the producer signal on unsubscribe and stops emitting', async () => {
    let seen: AbortSignal | undefined;
    const values: number[] = [];
    let emitLater: ((value: number) => void) | undefined;
    const subscription = abortableStream<number>(
      new AbortController().signal,
      (signal, emit) => {
        seen = signal;
        emit(1);
        emitLater = emit;
        return new Promise(() => {});
      },
      wrap,
    ).subscribe((value) => values.push(value));
    await tick();
    subscription.unsubscribe();
    emitLater?.(2);
    expect(seen?.aborted).toBe(true);
    expect(ProviderAbortError.isInstance(seen?.reason)).toBe(true);
    expect(values).toEqual([1]);
  });

  it('fails with a ProviderAbortError when the request signal aborts, even if the producer returns quietly', async () => {
    const controller = new AbortController();
    const stream = abortableStream<number>(
      controller.signal,
      (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
      wrap,
    );
    const done = lastValueFrom(stream);
    await tick();
    controller.abort(new Error('stop'));
    await expect(done).rejects.toSatisfy(ProviderAbortError.isInstance);
  });

  it('ends with a ProviderAbortError when the producer fails after an abort, even with a ProviderError', async () => {
    const controller = new AbortController();
    const stream = abortableStream<number>(
      controller.signal,
      (signal) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () =>
            reject(new ProviderError({ message: 'stream ended early', retryable: true })),
          ),
        ),
      wrap,
    );
    const done = lastValueFrom(stream);
    await tick();
    controller.abort();
    await expect(done).rejects.toSatisfy(ProviderAbortError.isInstance);
  });

  it('never calls the producer when the request signal is already aborted', async () => {
    let called = false;
    const stream = abortableStream<number>(
      AbortSignal.abort(),
      async () => {
        called = true;
      },
      wrap,
    );
    await expect(lastValueFrom(stream)).rejects.toSatisfy(ProviderAbortError.isInstance);
    expect(called).toBe(false);
  });
});
