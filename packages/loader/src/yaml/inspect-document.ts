import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
} from 'yaml';
import { MAX_ALIAS_EXPANSION, MAX_NESTING_DEPTH } from './yaml-limits.js';
import { isMergeKey, keyText, mergeSources, quote, startOf } from './yaml-nodes.js';

/** A problem found in a document, at an offset of its text. */
export interface OffsetIssue {
  message: string;
  code: string;
  path: (string | number)[];
  offset: number;
}

/** What {@link inspectDocument} found. */
export interface Inspection {
  issues: OffsetIssue[];
  /** Where each (valid) alias points. */
  aliases: Map<Alias, Node>;
}

interface Measure {
  /** How many nodes the value has once its aliases are expanded. */
  size: number;
  /** How many levels of lists and mappings it has once its aliases are expanded. */
  height: number;
}

const SCALAR: Measure = { size: 1, height: 0 };

/** A path built only when an issue needs it: most nodes have none, and large files have many nodes. */
type LazyPath = { parent: LazyPath; segment: string | number } | undefined;

function toPath(lazy: LazyPath): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at = lazy; at !== undefined; at = at.parent) path.push(at.segment);
  return path.reverse();
}

/**
 * Checks a composed document for what must never reach a JavaScript object:
 * duplicate keys, a `__proto__` key, keys that are lists or mappings, aliases
 * to unknown or enclosing anchors, aliases that would expand it too far or
 * nest it too deep, and merge keys (`<<`) whose value is not mappings.
 * Recurses once per level, so call it only on documents that passed
 * `findTooDeep`.
 */
export function inspectDocument(document: Document.Parsed, lines: LineCounter): Inspection {
  const issues: OffsetIssue[] = [];
  const aliases = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const measures = new Map<Node, Measure>();
  const open = new Set<Node>();
  let expansion = 0;

  const report = (node: unknown, code: string, path: LazyPath, message: string) => {
    issues.push({ message, code, path: toPath(path), offset: startOf(node) ?? 0 });
  };

  const visitAlias = (alias: Alias, path: LazyPath, depth: number): Measure => {
    const name = `*${alias.source}`;
    const target = anchors.get(alias.source);
    if (target === undefined) {
      report(
        alias,
        'unknown_alias',
        path,
        `unknown alias "${name}": no anchor "&${alias.source}" comes before it`,
      );
      return SCALAR;
    }
    const measure = measures.get(target);
    if (open.has(target) || measure === undefined) {
      report(alias, 'recursive_alias', path, `alias "${name}" refers to a node that contains it`);
      return SCALAR;
    }
    aliases.set(alias, target);
    const before = expansion;
    expansion += measure.size;
    if (before <= MAX_ALIAS_EXPANSION && expansion > MAX_ALIAS_EXPANSION) {
      report(
        alias,
        'alias_limit',
        path,
        `aliases expand the document by more than ${MAX_ALIAS_EXPANSION} nodes (at "${name}"); refusing a likely alias bomb`,
      );
    }
    if (depth + measure.height > MAX_NESTING_DEPTH) {
      report(
        alias,
        'too_deep',
        path,
        `alias "${name}" nests the document deeper than ${MAX_NESTING_DEPTH} levels`,
      );
    }
    return measure;
  };

  const visit = (node: unknown, path: LazyPath, depth: number): Measure => {
    if (isAlias(node)) return visitAlias(node, path, depth);
    if (!isMap(node) && !isSeq(node)) {
      if (isScalar(node) && node.anchor) {
        anchors.set(node.anchor, node);
        measures.set(node, SCALAR);
      }
      return node === null || node === undefined ? { size: 0, height: 0 } : SCALAR;
    }
    const collection = node as Node;
    if (collection.anchor) {
      anchors.set(collection.anchor, collection);
      open.add(collection);
    }
    let size = 1;
    let height = 0;
    const add = (measure: Measure) => {
      size += measure.size;
      height = Math.max(height, measure.height);
    };
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries())
        add(visit(item, { parent: path, segment: index }, depth + 1));
    } else if (isMap(node)) {
      const firstOffsets = new Map<string, number>();
      for (const pair of node.items) {
        add(visit(pair.key, path, depth + 1));
        const key = keyText(pair.key, aliases);
        const keyPath: LazyPath = key === undefined ? path : { parent: path, segment: key };
        if (key === undefined) {
          report(
            pair.key,
            'complex_key',
            path,
            'a key must be a plain name, not a list or mapping',
          );
        } else if (key === '__proto__') {
          report(pair.key, 'forbidden_key', keyPath, 'the key "__proto__" is not allowed');
        } else {
          const first = firstOffsets.get(key);
          if (first === undefined) firstOffsets.set(key, startOf(pair.key) ?? 0);
          else {
            const { line } = lines.linePos(first);
            report(
              pair.key,
              'duplicate_key',
              keyPath,
              `duplicate key ${quote(key)} (first set on line ${line})`,
            );
          }
        }
        add(visit(pair.value, keyPath, depth + 1));
        if (isMergeKey(pair.key) && mergeSources(pair.value, aliases) === undefined) {
          report(
            pair.value ?? pair.key,
            'invalid_merge',
            path,
            'the merge key "<<" needs a mapping, an alias of one (<<: *defaults), or a list of them',
          );
        }
      }
    }
    const measure = { size, height: height + 1 };
    open.delete(collection);
    measures.set(collection, measure);
    return measure;
  };

  visit(document.contents, undefined, 0);
  return { issues, aliases };
}
