// Debian's chromium (never a downloaded browser) for the end-to-end tests of the run view.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { cliRoot } from './cli-process.js';

/** The chromium the tests drive: MC_CHROMIUM (a Chrome or Chromium binary, on macOS say), else Debian's. */
export const CHROMIUM = process.env.MC_CHROMIUM ?? '/usr/bin/chromium';

/** Where a failing test leaves its screenshot (gitignored). */
export const ARTIFACTS = join(cliRoot, 'test-artifacts');

/** Launches headless chromium, or fails saying how to get it: never skipped in silence. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The run view's browser tests need chromium at ${CHROMIUM}: install it with \`apt-get install chromium\`, or set MC_CHROMIUM to a Chrome or Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot of `page` as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page | undefined, name: string): Promise<void> {
  if (page === undefined || page.isClosed()) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`) });
}
