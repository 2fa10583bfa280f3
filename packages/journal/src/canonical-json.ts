/**
 * JSON text of `value` with the keys of every object sorted, so two equal
 * values give the same text whatever order their keys were written in.
 *
 * The value is first put through `JSON.stringify`/`JSON.parse`, so it hashes
 * the same before and after a JSON round trip (undefined keys dropped,
 * undefined array items made null), which is how a journal stores it.
 *
 * Plain data (what a workflow is) takes a faster path with the same result:
 * one `JSON.stringify` whose replacer is the sorted list of every key in the
 * value. A list replacer applies to every object, so each object's keys come
 * out in sorted order, without a round trip or a string per key.
 */
export function canonicalJson(value: unknown): string {
  const keys = sortedKeysOfPlainData(value);
  const text = keys === undefined ? JSON.stringify(value) : JSON.stringify(value, keys);
  if (text === undefined) throw new TypeError('canonicalJson() takes a JSON-serialisable value.');
  return keys === undefined ? sortedJson(JSON.parse(text)) : text;
}

/** Deeper than this, the value takes the plain path (which also reports a cycle as JSON does). */
const MAX_DEPTH = 256;
/**
 * A list replacer looks every listed key up on every object: past this many
 * lookups per key actually present, the plain path costs less.
 */
const MAX_LOOKUPS_PER_KEY = 8;

interface KeyCount {
  keys: Set<string>;
  objects: number;
  present: number;
}

/**
 * Every key of every object in `value`, sorted; undefined unless the fast
 * path gives exactly the definition's text. A list replacer reads each listed
 * key off every object, own or inherited, enumerable or not, so only these
 * qualify: arrays; objects whose prototype is `Object.prototype` or null and
 * whose own keys are all enumerable; primitives JSON writes; nothing with a
 * `toJSON`; and no key that a plain object inherits (`__proto__` would be
 * read off an object that lacks it).
 */
function sortedKeysOfPlainData(value: unknown): string[] | undefined {
  const count: KeyCount = { keys: new Set(), objects: 0, present: 0 };
  if (!countKeys(value, count, 0)) return undefined;
  if (count.objects * count.keys.size > MAX_LOOKUPS_PER_KEY * count.present) return undefined;
  for (const key of count.keys) if (key in Object.prototype) return undefined;
  return [...count.keys].sort();
}

function countKeys(value: unknown, count: KeyCount, depth: number): boolean {
  if (typeof value === 'bigint') return false;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return true;
  if (depth > MAX_DEPTH || (value as { toJSON?: unknown }).toJSON !== undefined) return false;
  // Dropped, or null in an array.
  if (typeof value === 'function') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!countKeys(value[i], count, depth + 1)) return false;
    }
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (Object.getOwnPropertyNames(record).length !== keys.length) return false;
  count.objects++;
  count.present += keys.length;
  for (const key of keys) {
    count.keys.add(key);
    if (!countKeys(record[key], count, depth + 1)) return false;
  }
  return true;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
