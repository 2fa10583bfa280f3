/**
 * The JSON Schema of top-level keys that begin with `x-`: anything goes, and
 * the workflow ignores it. Files keep YAML anchors there (`x-defaults: &defaults`),
 * as Compose files do.
 */
export const EXTENSION_KEYS = {
  description: 'Ignored: a place for YAML anchors and notes (keys that begin with x-).',
};

/** Whether a top-level key is an extension key (`x-...`), which files may use for anchors and notes. */
function isExtensionKey(key: string): boolean {
  return key.startsWith('x-');
}

/** A document without its top-level `x-` keys (the same object when it has none). */
export function withoutExtensionKeys(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const keys = Object.keys(document);
  if (!keys.some(isExtensionKey)) return document;
  return Object.fromEntries(
    keys
      .filter((key) => !isExtensionKey(key))
      .map((key) => [key, (document as Record<string, unknown>)[key]]),
  );
}
