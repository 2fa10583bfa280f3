/**
 * Error codes of Node and undici that mean the connection failed or broke
 * midway: a retry on a fresh connection may succeed.
 */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The messages undici gives the TypeError of a failed connection or a body cut short. */
const TRANSIENT_FETCH_MESSAGES = new Set(['fetch failed', 'terminated']);

/**
 * Whether `error`, or any error in its `cause` chain, is a broken or failed
 * connection (reset, refused, timed out, body cut off) rather than an answer.
 */
export function isTransientNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, name } = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
    };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (
      name === 'TypeError' &&
      typeof message === 'string' &&
      TRANSIENT_FETCH_MESSAGES.has(message)
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A short description of a network error and its causes, e.g. `terminated (other side closed)`. */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message !== '') {
      parts.push(
        typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message,
      );
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0) return String(error);
  const [first, ...rest] = parts;
  return rest.length === 0 ? first! : `${first} (${rest.join('; ')})`;
}
