// Drives Debian's chromium (never a downloaded browser) for the page's tests and benchmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where a failing test leaves its screenshot (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export { launchChromium } from '@multi-context/testing';

/** Writes `html` to a temporary file and returns its file:// URL. */
export function writeTempHtml(html: string, name = 'report.html'): string {
  const dir = path.join(tmpdir(), `mc-web-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, html);
  return `file://${file}`;
}

/**
 * Opens a report file with every other request refused, so a test fails if
 * the page fetches anything; returns the requests that were tried.
 */
export async function openOffline(page: Page, url: string): Promise<string[]> {
  const blocked: string[] = [];
  await page.route('**', (route) => {
    const requested = route.request().url();
    if (requested === url) return route.continue();
    blocked.push(requested);
    return route.abort();
  });
  await page.goto(url);
  return blocked;
}

/** Saves a screenshot of `page` for a failed test. */
export async function screenshotOnFailure(page: Page | undefined, name: string): Promise<void> {
  if (page === undefined || page.isClosed()) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({
    path: path.join(ARTIFACTS, `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`),
    fullPage: true,
  });
}
