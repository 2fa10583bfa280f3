import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { type AliasTargets, isMergeKey, keyText, mergeSources } from './yaml-nodes.js';

/**
 * The plain JavaScript value of a document node: objects, arrays, strings,
 * numbers, booleans and null. Used instead of yaml's `toJS`, whose alias
 * lookup costs time in proportion to the number of anchors for each alias;
 * here every alias is one map lookup, and an aliased node is converted once.
 *
 * Merge keys (`<<: *defaults`, `<<: [*a, *b]`) bring in the keys of other
 * mappings, as YAML 1.1 and Compose files have them.
 *
 * Call it only on a document that `inspectDocument` accepted: keys are then
 * plain and never `__proto__`, aliases resolve, merge keys hold mappings, and
 * nesting is bounded.
 */
export function toPlainValue(node: unknown, aliases: AliasTargets): unknown {
  const converted = new Map<unknown, unknown>();
  const convert = (current: unknown): unknown => {
    const target = isAlias(current) ? aliases.get(current) : current;
    if (converted.has(target)) return converted.get(target);
    let value: unknown = null;
    if (isScalar(target)) value = target.value;
    else if (isSeq(target)) value = target.items.map(convert);
    else if (isMap(target)) {
      const object: Record<string, unknown> = {};
      const merged: unknown[] = [];
      for (const pair of target.items) {
        if (isMergeKey(pair.key)) merged.push(pair.value);
        else object[keyText(pair.key, aliases) ?? ''] = convert(pair.value);
      }
      // YAML merge keys: the mapping's own keys win, then earlier sources over later ones.
      for (const source of merged.flatMap((item) => mergeSources(item, aliases) ?? [])) {
        for (const [key, item] of Object.entries(convert(source) as Record<string, unknown>)) {
          if (!Object.hasOwn(object, key)) object[key] = item;
        }
      }
      value = object;
    }
    converted.set(target, value);
    return value;
  };
  return convert(node);
}
