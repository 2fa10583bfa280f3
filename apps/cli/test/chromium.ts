// Debian's chromium (never a downloaded browser) for the end-to-end tests of the run view.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cliRoot } from './cli-process.js';

export { launchChromium } from '@multi-context/testing';

/** Where a failing test leaves its screenshot (gitignored). */
export const ARTIFACTS = join(cliRoot, 'test-artifacts');

/** Saves a screenshot of `page` as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page | undefined, name: string): Promise<void> {
  if (page === undefined || page.isClosed()) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`) });
}
