import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * The chromium that browser tests and benchmarks drive: `MC_CHROMIUM` (a
 * Chrome or Chromium binary, on macOS say), else Debian's `/usr/bin/chromium`.
 * Never a browser that playwright downloads.
 */
export function chromiumPath(): string {
  return process.env.MC_CHROMIUM ?? '/usr/bin/chromium';
}

/** The flags of a headless chromium that reaches nothing by itself: no sandbox (root in CI), no GPU, no updates. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless chromium with `playwright-core` (an optional peer
 * dependency: only browser tests load it), or fails with how to install it:
 * a browser test never skips in silence.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser tests need chromium at ${executablePath}: install it with \`apt-get install chromium\` (Debian/Ubuntu), or set MC_CHROMIUM to a Chrome or Chromium binary.`,
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}
