import { describe, expect, it } from 'vitest';
import { toAnthropicParams } from './anthropic-params.js';
import { checkAnthropicParams } from './check-anthropic-params.js';

describe('checkAnthropicParams', () => {
  it('gives the body fields, max_tokens always set, stop as stop_sequences', () => {
    expect(checkAnthropicParams({ stop: '###', extra_body: { top_k: 5 } }, 4096, 'claude')).toEqual(
      {
        ok: true,
        body: { top_k: 5, stop_sequences: ['###'], max_tokens: 4096 },
      },
    );
  });

  it('says why without throwing, and toAnthropicParams throws the same message', () => {
    const checked = checkAnthropicParams({ temperature: 0.2 }, 4096, 'claude');
    expect(checked).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^claude: unknown parameter "temperature"\. Known: max_tokens/,
      ),
    });
    expect(() => toAnthropicParams({ temperature: 0.2 }, 4096, 'claude')).toThrow(
      checked.ok ? '' : checked.message,
    );
    expect(checkAnthropicParams({ max_tokens: 0 }, 4096, 'c')).toEqual({
      ok: false,
      message: 'c: max_tokens must be a positive integer, got 0.',
    });
  });
});
