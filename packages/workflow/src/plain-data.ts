/** Helpers that keep the model plain, JSON-like data that shares nothing with its input. */

/** `value` without its keys whose value is undefined (so a model survives a JSON round trip unchanged). */
export function compact<T extends object>(value: T): T {
  // Keys, not entries: this runs for every task of a workflow, and entries() makes a pair per key.
  const record = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (item !== undefined) result[key] = item;
  }
  return result as T;
}

/**
 * A deep copy of the lists and plain objects in `value` (free-form settings,
 * JSON Schemas); other values are kept as they are. Cycles, which only code
 * can build, are copied as cycles.
 */
export function copyData<T>(value: T): T {
  const copies = new Map<object, unknown>();
  const copy = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    const known = copies.get(item);
    if (known !== undefined) return known;
    if (Array.isArray(item)) {
      const list: unknown[] = [];
      copies.set(item, list);
      for (const element of item) list.push(copy(element));
      return list;
    }
    const prototype = Object.getPrototypeOf(item);
    if (prototype !== Object.prototype && prototype !== null) return item;
    const object: Record<string, unknown> = {};
    copies.set(item, object);
    for (const [key, element] of Object.entries(item)) {
      Object.defineProperty(object, key, {
        value: copy(element),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  };
  return copy(value) as T;
}
