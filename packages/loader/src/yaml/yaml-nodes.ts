import { type Alias, isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';

/** Where each alias of a document points, as found by `inspectDocument`. */
export type AliasTargets = ReadonlyMap<Alias, Node>;

/** `node`, or the node it points to when it is an alias. */
export function resolveAlias(node: unknown, aliases: AliasTargets): unknown {
  return isAlias(node) ? (aliases.get(node) ?? node) : node;
}

/** The object key a mapping key node becomes, for plain (scalar) keys; undefined for others. */
export function keyText(key: unknown, aliases: AliasTargets): string | undefined {
  const node = resolveAlias(key, aliases);
  if (!isScalar(node)) return undefined;
  return node.value === null ? '' : String(node.value);
}

/** Where a node starts in the source text. */
export function startOf(node: unknown): number | undefined {
  return (node as { range?: readonly number[] | null } | null)?.range?.[0];
}

/** A key or name in double quotes for a message, shortened when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** A value left empty in the source (`tasks:` with nothing after it), which has no place of its own. */
export function isEmptyNode(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node) || node.value !== null) return false;
  const range = node.range;
  return range === undefined || range === null || range[0] === range[1];
}

/** Whether a mapping key is the YAML merge key `<<` (plain, not quoted: `"<<"` is an ordinary key). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === 'PLAIN' && key.value === '<<';
}

/**
 * The mappings a merge key's value brings in, in order of precedence: the
 * mapping (or alias of one) itself, or each item of a list of them. Undefined
 * when the value is anything else.
 */
export function mergeSources(value: unknown, aliases: AliasTargets): YAMLMap[] | undefined {
  const node = resolveAlias(value, aliases);
  if (isMap(node)) return [node];
  if (!isSeq(node)) return undefined;
  const sources: YAMLMap[] = [];
  for (const item of node.items) {
    const source = resolveAlias(item, aliases);
    if (!isMap(source)) return undefined;
    sources.push(source);
  }
  return sources;
}
