import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';

const saved = process.env.MC_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.MC_CHROMIUM;
  else process.env.MC_CHROMIUM = saved;
});

describe('launchChromium', () => {
  it('fails with how to install chromium when there is none, never skipping', async () => {
    process.env.MC_CHROMIUM = '/nonexistent/chromium';
    expect(chromiumPath()).toBe('/nonexistent/chromium');
    await expect(launchChromium()).rejects.toThrow(
      'The browser tests need chromium at /nonexistent/chromium: install it with `apt-get install chromium`',
    );
  });

  it('launches a headless chromium that renders a page', async () => {
    expect(CHROMIUM_ARGS).toContain('--headless');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="p">hello</p>');
      expect(await page.textContent('#p')).toBe('hello');
    } finally {
      await browser.close();
    }
  }, 30_000);
});
