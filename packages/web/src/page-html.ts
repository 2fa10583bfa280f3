import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PageBoot } from './page-boot.js';

/** Options of {@link renderPageHtml}. */
export interface PageHtmlOptions {
  /** The document's title. Default: the run's id, or "multi-context runs". */
  title?: string;
}

interface PageAssets {
  script: string;
  style: string;
  scriptHash: string;
  styleHash: string;
}

let assets: PageAssets | undefined;

/** The built page (`dist/page`), beside this module once bundled, or from `src` in this repository. */
function pageAssets(): PageAssets {
  if (assets !== undefined) return assets;
  const folders = [new URL('./page/', import.meta.url), new URL('../dist/page/', import.meta.url)];
  const folder = folders.find((url) => existsSync(new URL('page.js', url)));
  if (folder === undefined) {
    throw new Error(
      `The page of @multi-context/web is missing (looked for page/page.js beside ${fileURLToPath(import.meta.url)}): build the package first.`,
    );
  }
  // "</script" can only occur in a string or a regular expression, where "<\/" means the same.
  const script = readFileSync(new URL('page.js', folder), 'utf8').replace(
    /<\/(script)/gi,
    '<\\/$1',
  );
  const style = readFileSync(new URL('page.css', folder), 'utf8').replace(/<\/(style)/gi, '<\\/$1');
  assets = { script, style, scriptHash: sha256(script), styleHash: sha256(style) };
  return assets;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * JSON that no text inside can end the `<script>` element holding it: `<`,
 * `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, and U+2028 and
 * U+2029 escaped too. `JSON.parse` reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A complete, self-contained HTML document showing `boot`: the page's script
 * and styles are inlined (read once from the package's own `dist/page`), and
 * `boot` is inlined as `<script type="application/json" id="mc-boot">`. A
 * Content-Security-Policy allows only the inlined script and styles (by their
 * SHA-256) and connections to the page's own origin, so the page runs offline
 * and nothing in a run's text can load or run anything.
 *
 * @example
 * // A one-file report of a finished run:
 * const { events } = await readJournal(path);
 * await writeFile('run.html', renderPageHtml({ view: 'run', runId: events[0].runId, events }));
 */
export function renderPageHtml(boot: PageBoot, options: PageHtmlOptions = {}): string {
  const { script, style, scriptHash, styleHash } = pageAssets();
  const title =
    options.title ??
    (boot.view === 'run' ? `Run ${boot.runId} · multi-context` : 'multi-context runs');
  const csp = [
    "default-src 'none'",
    `script-src ${scriptHash}`,
    `style-src ${styleHash}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<div id="mc-root"></div>
<script type="application/json" id="mc-boot">${scriptSafeJson(boot)}</script>
<script>${script}</script>
</body>
</html>
`;
}
