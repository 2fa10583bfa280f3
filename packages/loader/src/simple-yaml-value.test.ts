import { describe, expect, it } from 'vitest';
import { simpleYamlValue } from './simple-yaml-value.js';
import {
  DECLINED_BY_BOTH,
  expectAgreement,
  itAgreesWithTheFullPath,
  READ_BY_BOTH,
} from './yaml-samples.js';
import { parseYamlTokens } from './yaml-tokens.js';

function fast(text: string): { value: unknown } | undefined {
  return simpleYamlValue(parseYamlTokens(text).tokens);
}

describe('simpleYamlValue: the fast path', () => {
  it.each([
    ...READ_BY_BOTH,
    ['multi-line flow collections', 'a: {\n  b: 1,\n  c: [x,\n    y]\n  }\n'],
  ])('reads %s as the full path does', (_, text) => {
    expect(fast(text)).toBeDefined();
    expectAgreement(fast, text);
  });

  it.each(DECLINED_BY_BOTH)('leaves %s to the full path', (_, text) => {
    expect(fast(text)).toBeUndefined();
  });

  it('reads nesting of exactly 64 levels', () => {
    const text = `${'['.repeat(64)}${']'.repeat(64)}\n`;
    expect(fast(text)).toBeDefined();
    expectAgreement(fast, text);
  });

  itAgreesWithTheFullPath(fast);
});
