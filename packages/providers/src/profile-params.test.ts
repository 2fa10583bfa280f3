import { describe, expect, it } from 'vitest';
import { paramsObject, profileParams } from './profile-params.js';

describe('profileParams', () => {
  it('spells the sampling settings as the APIs do, then adds params as written', () => {
    const { params, clashes } = profileParams({
      model: 'm',
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 100,
      stop: ['###'],
      seed: 7,
      retries: 3,
      promptCache: '1h',
      params: { presence_penalty: 0.5 },
    });
    expect(clashes).toEqual([]);
    expect(paramsObject(params)).toEqual({
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      stop: ['###'],
      seed: 7,
      prompt_cache: '1h',
      presence_penalty: 0.5,
    });
    expect(params.map((param) => param.path)).toEqual([
      ['temperature'],
      ['top_p'],
      ['max_tokens'],
      ['stop'],
      ['seed'],
      ['prompt_cache'],
      ['params', 'presence_penalty'],
    ]);
  });

  it('reports a setting given both ways, in either spelling, and keeps the typed one', () => {
    const { params, clashes } = profileParams({
      maxTokens: 100,
      topP: 0.5,
      params: { maxTokens: 200, top_p: 0.1, top_k: 40 },
    });
    expect(clashes).toEqual([
      { name: 'max_tokens', path: ['params', 'maxTokens'] },
      { name: 'top_p', path: ['params', 'top_p'] },
    ]);
    expect(paramsObject(params)).toEqual({ max_tokens: 100, top_p: 0.5, top_k: 40 });
  });
});
