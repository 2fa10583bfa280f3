import { type Document, isMap, isSeq, type Pair, type YAMLMap } from 'yaml';
import { type AliasTargets, isEmptyNode, keyText, resolveAlias, startOf } from './yaml-nodes.js';

/** Whether an issue is about a key itself (an unknown key) or about the value at a path. */
export type IssueTarget = 'key' | 'value';

/**
 * A function from an issue's path to the offset in the source text it
 * belongs to: the key node for a key issue, the value node for a value
 * issue, and the deepest mapping or list that exists when the path goes
 * further than the document (a missing key points at the mapping that lacks
 * it). An empty value (`tasks:` with nothing after it) points at its key.
 */
export function createLocator(
  document: Document.Parsed,
  aliases: AliasTargets,
): (path: readonly (string | number)[], target: IssueTarget) => number {
  // Keys are indexed once per mapping, so many issues in a large mapping stay cheap.
  const indexes = new Map<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) {
        const text = keyText(pair.key, aliases);
        if (text !== undefined && !index.has(text)) index.set(text, pair);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };

  return (path, target) => {
    let node = resolveAlias(document.contents, aliases);
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (pair === undefined) break;
        const value = resolveAlias(pair.value, aliases);
        const last = i === path.length - 1;
        if ((last && target === 'key') || isEmptyNode(value))
          return startOf(pair.key) ?? startOf(node) ?? 0;
        node = value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = resolveAlias(node.items[segment], aliases);
      } else break;
    }
    return startOf(node) ?? 0;
  };
}
