/** Replaces every occurrence of each secret in `text`, so no key ends up in a message or log. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4)
      result = result.split(secret).join('[redacted]');
  }
  return result;
}

/**
 * Whether a secret appears anywhere in `value`: its message, stack, body,
 * headers or causes. Used to leave an SDK error out as `cause` when a server
 * echoed the key back into it.
 */
export function mentionsSecret(value: unknown, secrets: readonly (string | undefined)[]): boolean {
  const present = secrets.filter(
    (secret): secret is string => secret !== undefined && secret.length >= 4,
  );
  if (present.length === 0) return false;
  const seen = new Set<object>();
  const visit = (node: unknown, depth: number): boolean => {
    if (typeof node === 'string') return present.some((secret) => node.includes(secret));
    if (typeof node !== 'object' || node === null || depth > 6 || seen.has(node)) return false;
    seen.add(node);
    if (typeof Headers !== 'undefined' && node instanceof Headers) {
      const values: string[] = [];
      node.forEach((headerValue) => {
        values.push(headerValue);
      });
      return visit(values.join('\n'), depth);
    }
    return Object.getOwnPropertyNames(node).some((key) => {
      try {
        return visit((node as Record<string, unknown>)[key], depth + 1);
      } catch {
        return false;
      }
    });
  };
  return visit(value, 0);
}
