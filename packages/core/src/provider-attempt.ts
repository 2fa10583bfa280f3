import {
  completeFunctionOf,
  LazyAbort,
  normalizeCompleteResult,
  type Provider,
  type ProviderRequest,
  type ProviderUsage,
  requestWithSignal,
} from '@multi-context/provider';
import { TaskTimeoutError } from './errors.js';

/** What one successful provider call produced. */
export interface AttemptResult {
  text: string;
  usage: ProviderUsage | undefined;
}

/** Registers a way to abort an attempt with the run; returns the function that unregisters it. */
export type TrackAbort = (abort: (reason: Error) => void) => () => void;

/**
 * One attempt of one task: calls the provider and resolves with the whole
 * answer. The attempt owns an abort (its signal is made only if the provider
 * reads it), so a timeout or a cancel of the run both abort the signal the
 * provider was given and unsubscribe from its stream (the provider's cue to
 * close its HTTP request).
 *
 * A provider made by `defineProvider({ complete })` is called directly, which
 * is the same call its `stream()` makes without the Observable around it.
 */
export function attemptProvider(
  provider: Provider,
  request: Omit<ProviderRequest, 'signal'>,
  timeoutMs: number | undefined,
  onDelta: (text: string) => void,
  track: TrackAbort,
): Promise<AttemptResult> {
  return new Promise<AttemptResult>((resolve, reject) => {
    const controller = new LazyAbort();
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;

    const settle = () => {
      settled = true;
      untrack();
      if (timer !== undefined) clearTimeout(timer);
    };
    const succeed = (text: string, usage: ProviderUsage | undefined) => {
      if (settled) return;
      settle();
      resolve({ text, usage });
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      reject(error);
    };
    const abort = (reason: Error) => {
      if (settled) return;
      settle();
      // Abort first, so the provider sees why (a timeout, a cancel) on its signal.
      controller.abort(reason);
      unsubscribe?.();
      reject(reason);
    };
    const untrack = track(abort);
    if (timeoutMs !== undefined) timer = setTimeout(() => abort(new TaskTimeoutError(timeoutMs)), timeoutMs);

    const providerRequest = requestWithSignal(request, controller);
    const complete = completeFunctionOf(provider);
    try {
      if (complete !== undefined) {
        const done = (result: unknown) => {
          if (settled) return;
          let answer: { text: string; usage?: ProviderUsage };
          try {
            answer = normalizeCompleteResult(result, provider.id);
          } catch (error) {
            fail(error);
            return;
          }
          succeed(answer.text, answer.usage);
        };
        const result = complete(providerRequest);
        if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
          (result as PromiseLike<unknown>).then(done, fail);
        } else {
          done(result);
        }
        return;
      }

      let text = '';
      let finalText: string | undefined;
      let usage: ProviderUsage | undefined;
      const subscription = provider.stream(providerRequest).subscribe({
        next: (event) => {
          if (settled) return;
          switch (event.type) {
            case 'text-delta':
              text += event.text;
              onDelta(event.text);
              break;
            case 'usage':
              usage = event.usage;
              break;
            case 'finish':
              if (event.text !== undefined) finalText = event.text;
              if (event.usage !== undefined) usage = event.usage;
              break;
          }
        },
        error: fail,
        complete: () => succeed(finalText ?? text, usage),
      });
      if (settled) subscription.unsubscribe();
      else unsubscribe = () => subscription.unsubscribe();
    } catch (error) {
      // A provider that throws instead of failing its Observable (or its promise).
      fail(error);
    }
  });
}
