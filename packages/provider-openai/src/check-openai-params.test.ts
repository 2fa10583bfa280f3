import { describe, expect, it } from 'vitest';
import { checkOpenAIParams } from './check-openai-params.js';
import { toOpenAIParams } from './openai-params.js';

describe('checkOpenAIParams', () => {
  it('gives the body fields in snake_case, extra_body merged under them', () => {
    expect(checkOpenAIParams({ topP: 0.5, extra_body: { top_k: 40, top_p: 1 } }, 'gpt')).toEqual({
      ok: true,
      body: { top_k: 40, top_p: 0.5 },
    });
  });

  it('says why without throwing, and toOpenAIParams throws the same message', () => {
    const checked = checkOpenAIParams({ temprature: 0.2 }, 'gpt');
    expect(checked).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Unknown parameter "temprature" for provider "gpt"\. Known: /,
      ),
    });
    expect(() => toOpenAIParams({ temprature: 0.2 }, 'gpt')).toThrow(
      checked.ok ? '' : checked.message,
    );
    expect(checkOpenAIParams({ top_p: 1, topP: 1 }, 'gpt')).toEqual({
      ok: false,
      message: 'Parameter "top_p" is given twice for provider "gpt" (as "top_p" and "topP").',
    });
  });
});
