import { type Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { offsetInScalar } from './scalar-offsets.js';
import {
  type AliasTargets,
  isEmptyNode,
  isMergeKey,
  keyText,
  mergeSources,
  resolveAlias,
  startOf,
} from './yaml-nodes.js';

/** Whether an issue is about a key itself (an unknown key) or about the value at a path. */
export type IssueTarget = 'key' | 'value';

/** A piece of a string value: an offset and a length in the parsed string. */
export interface ValueSpan {
  offset: number;
  length: number;
}

/**
 * A function from an issue's path to the offset in the source text it
 * belongs to: the key node for a key issue, the value node for a value
 * issue (inside a string value, where `span` says, when given), and the
 * deepest mapping or list that exists when the path goes further than the
 * document (a missing key points at the mapping that lacks it). An empty
 * value (`tasks:` with nothing after it) points at its key. A key that a
 * mapping takes from a merge key (`<<: *defaults`) points where it is written.
 */
export function createLocator(
  document: Document.Parsed,
  aliases: AliasTargets,
  text: string,
): (path: readonly (string | number)[], target: IssueTarget, span?: ValueSpan) => number {
  // Keys are indexed once per mapping, so many issues in a large mapping stay cheap.
  const indexes = new Map<YAMLMap, Map<string, Pair>>();
  const indexOf = (map: YAMLMap): Map<string, Pair> => {
    let index = indexes.get(map);
    if (index !== undefined) return index;
    index = new Map();
    indexes.set(map, index);
    const merged: YAMLMap[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        merged.push(...(mergeSources(pair.value, aliases) ?? []));
        continue;
      }
      const key = keyText(pair.key, aliases);
      if (key !== undefined && !index.has(key)) index.set(key, pair);
    }
    for (const source of merged) {
      for (const [key, pair] of indexOf(source)) if (!index.has(key)) index.set(key, pair);
    }
    return index;
  };

  return (path, target, span) => {
    let node = resolveAlias(document.contents, aliases);
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = indexOf(node).get(String(segment));
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
    if (span !== undefined && isScalar(node) && typeof node.value === 'string') {
      return offsetInScalar(node, text, span);
    }
    return startOf(node) ?? 0;
  };
}
