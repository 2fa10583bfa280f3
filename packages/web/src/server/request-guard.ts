import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Whether `host` is an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Whether `given` is the token, compared in constant time. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The names a page on a loopback server may reach it by. Anything else in
 * `Host` is a name that resolves to this machine for someone else's page (DNS
 * rebinding), which would then be same-origin with the run view.
 */
export function loopbackHostNames(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * Why a request that changes something comes from another site, or
 * undefined when it comes from the run view's own page or from no browser
 * page at all (a tool such as curl sends neither header).
 */
export function crossOriginReason(request: IncomingMessage): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return `cross-origin requests may not cancel a run (Sec-Fetch-Site: ${site}).`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
    return `cross-origin requests may not cancel a run (Origin: ${origin}).`;
  }
  return undefined;
}
