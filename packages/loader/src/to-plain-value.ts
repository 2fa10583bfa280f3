import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { type AliasTargets, keyText } from './yaml-nodes.js';

/**
 * The plain JavaScript value of a document node: objects, arrays, strings,
 * numbers, booleans and null. Used instead of yaml's `toJS`, whose alias
 * lookup costs time in proportion to the number of anchors for each alias;
 * here every alias is one map lookup, and an aliased node is converted once.
 *
 * Call it only on a document that `inspectDocument` accepted: keys are then
 * plain and never `__proto__`, aliases resolve, and nesting is bounded.
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
      for (const pair of target.items)
        object[keyText(pair.key, aliases) ?? ''] = convert(pair.value);
      value = object;
    }
    converted.set(target, value);
    return value;
  };
  return convert(node);
}
