import { readFileSync } from 'node:fs';

/**
 * This package's version. Read at run time from the package.json that ships
 * beside `dist/` (and beside `src/` in development), so it cannot drift.
 */
export function cliVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
