import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Its own file, so that no other test has counted with o200k in this process yet.
describe('o200kTokenizer loading', () => {
  it('loads the encoding on the first count, not when the package is imported', async () => {
    const require = createRequire(import.meta.url);
    const encoding = require.resolve('gpt-tokenizer/encoding/o200k_base');
    const { ExecutionContext, o200kTokenizer } = await import('./index.js');
    const context = new ExecutionContext('no limit', { maxHistory: 10, system: 'be brief' });
    context.addMessage('user', 'hello world');
    context.window();
    expect(require.cache[encoding]).toBeUndefined();
    expect(o200kTokenizer.count('hello world')).toBe(2);
    expect(require.cache[encoding]).toBeDefined();
  });
});
