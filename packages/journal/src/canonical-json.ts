/**
 * JSON text of `value` with the keys of every object sorted, so two equal
 * values give the same text whatever order their keys were written in.
 *
 * The value is first put through `JSON.stringify`/`JSON.parse`, so it hashes
 * the same before and after a JSON round trip (undefined keys dropped,
 * undefined array items made null), which is how a journal stores it.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson() takes a JSON-serialisable value.');
  return sortedJson(JSON.parse(text));
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
