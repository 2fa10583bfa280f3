/** What the run view sends with every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Used when a page states no policy of its own. */
const FALLBACK_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The Content-Security-Policy header of a page: the policy its own `<meta>`
 * states (so served and reported pages run under the same rules), with
 * what a `<meta>` cannot say or a served page needs added: its requests go
 * to this server only (`connect-src 'self'`), and no other site may frame it.
 */
export function pagePolicy(html: string): string {
  const meta = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1/i.exec(
    html,
  );
  const directives = (meta?.[2] ?? FALLBACK_POLICY)
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !/^(connect-src|frame-ancestors)\b/.test(part));
  return [...directives, "connect-src 'self'", "frame-ancestors 'none'"].join('; ');
}

/** The policy of everything that is not a page (JSON, the event stream, errors). */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
