import { describe, expect, it } from 'vitest';
import { isRetryableStreamError } from './ollama-stream-error.js';

describe('isRetryableStreamError', () => {
  it('retries what a new model runner or a quieter server may get through', () => {
    expect(
      isRetryableStreamError(
        'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details',
      ),
    ).toBe(true);
    expect(isRetryableStreamError('llama runner process has terminated: exit status 2')).toBe(true);
    expect(isRetryableStreamError('llama runner process no longer running: -1')).toBe(true);
    expect(isRetryableStreamError('server busy, please try again.')).toBe(true);
  });

  it('does not retry what would fail the same way again', () => {
    expect(isRetryableStreamError('an error was encountered while running the model')).toBe(false);
    expect(
      isRetryableStreamError('model requires more system memory (9.2 GiB) than is available'),
    ).toBe(false);
  });
});
