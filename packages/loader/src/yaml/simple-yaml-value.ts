import { CST } from 'yaml';
import { keyName, ScalarResolver } from './scalar-resolver.js';
import { MAX_NESTING_DEPTH } from './yaml-limits.js';

/** Where the walk leaves the simple subset; `simpleYamlValue` then declines the text. */
class NotSimple extends Error {}

function notSimple(): never {
  throw new NotSimple();
}

/** What {@link readProps} found in the tokens before a key or a value. */
interface Props {
  /** The indicator (`-`, `:`, ...) among them, if any. */
  found: CST.SourceToken | undefined;
  /** Whether a comma is among them (flow collections). */
  comma: boolean;
  /** Whether a line break is among them. */
  hasNewline: boolean;
  /** Where they end. */
  end: number;
}

/**
 * The plain value of a text that is one simple YAML document, read straight
 * from yaml's concrete syntax tree; undefined for any other text.
 *
 * Composing a `Document` (and checking it, and converting it) costs about as
 * much again as parsing a large file, and most files need none of what it
 * offers over this: a document whose root is a list or mapping of block and flow
 * lists and mappings, plain keys and scalars (block scalars too), and
 * comments. Anchors, aliases, tags, merge keys, explicit (`?`) and complex
 * keys, empty values, duplicate and `__proto__` keys, tabs in indentation,
 * directives, more than one document, nesting deeper than
 * {@link MAX_NESTING_DEPTH} and every place where yaml's `Composer` would
 * report an error or a warning are left to the full path, which reports them
 * (the checks below follow the `Composer` of yaml 2, which stays the
 * reference: a text accepted here composes without any issue into the same
 * value). Scalars are resolved by yaml itself, with the schema the `Composer`
 * uses.
 */
export function simpleYamlValue(tokens: readonly CST.Token[]): { value: unknown } | undefined {
  try {
    return { value: new SimpleWalk().document(tokens) };
  } catch {
    // NotSimple, or anything this walk did not foresee: either way the full
    // path decides, and reports what there is to report.
    return undefined;
  }
}

class SimpleWalk {
  private readonly scalars = new ScalarResolver(notSimple);
  /** Where the node read last ends, comments and line breaks after it included (`range[2]`). */
  private end = 0;

  document(tokens: readonly CST.Token[]): unknown {
    let document: CST.Document | undefined;
    for (const token of tokens) {
      if (token.type === 'document' && document === undefined) document = token;
      else if (!['byte-order-mark', 'space', 'comment', 'newline'].includes(token.type))
        notSimple();
    }
    const value = document?.value;
    // A scalar root is no workflow, and block scalars resolve differently there.
    if (document === undefined || value === undefined || !CST.isCollection(value)) notSimple();
    const props = readProps(document.start, 'doc-start', true, false, document.offset);
    if (props.found && value.type !== 'flow-collection' && !props.hasNewline) notSimple();
    const result = this.node(value, 0);
    readEnd(document.end, this.end, false);
    return result;
  }

  private node(token: CST.Token, depth: number): unknown {
    switch (token.type) {
      case 'block-map':
        return this.blockMap(token, depth + 1);
      case 'block-seq':
        return this.blockSeq(token, depth + 1);
      case 'flow-collection':
        return this.flowCollection(token, depth + 1);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        return this.scalar(token, false);
      default:
        return notSimple();
    }
  }

  private blockMap(map: CST.BlockMap, depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING_DEPTH) notSimple();
    const object: Record<string, unknown> = {};
    let offset = map.offset;
    let commentEnd: number | undefined;
    for (const item of map.items) {
      if (item.explicitKey) notSimple();
      const keyProps = readProps(item.start, 'explicit-key-ind', true, false, offset);
      if (keyProps.found) notSimple();
      const { key, sep, value } = item;
      if (!sep) {
        // Comments after the last entry: the Composer keeps them as the map's comment.
        if (key) notSimple();
        commentEnd = keyProps.end;
        continue;
      }
      if (!isFlowScalar(key) || key.indent !== map.indent || containsNewline(key)) notSimple();
      const name = this.key(key, object);
      const valueProps = readProps(sep, 'map-value-ind', false, false, this.end);
      if (!valueProps.found || value === undefined) notSimple();
      if (value.type === 'block-map' && !valueProps.hasNewline) notSimple();
      // yaml's strict mode: an implicit key ends within 1024 characters of its start.
      if (keyProps.end < valueProps.found.offset - 1024) notSimple();
      object[name] = this.node(value, depth);
      offset = this.end;
    }
    if (commentEnd && commentEnd < offset) notSimple();
    this.end = commentEnd ?? offset;
    return object;
  }

  private blockSeq(seq: CST.BlockSequence, depth: number): unknown[] {
    if (depth > MAX_NESTING_DEPTH) notSimple();
    const array: unknown[] = [];
    let offset = seq.offset;
    let commentEnd: number | undefined;
    for (const item of seq.items) {
      const props = readProps(item.start, 'seq-item-ind', true, false, offset);
      if (!props.found) {
        if (item.value) notSimple();
        commentEnd = props.end;
        continue;
      }
      if (item.value === undefined) notSimple();
      array.push(this.node(item.value, depth));
      offset = this.end;
    }
    this.end = commentEnd ?? offset;
    return array;
  }

  private flowCollection(flow: CST.FlowCollection, depth: number): unknown {
    if (depth > MAX_NESTING_DEPTH) notSimple();
    const isMap = flow.start.source === '{';
    const object: Record<string, unknown> = {};
    const array: unknown[] = [];
    let offset = flow.offset + flow.start.source.length;
    for (const [index, item] of flow.items.entries()) {
      const props = readProps(item.start, 'explicit-key-ind', false, true, offset);
      if (props.found) notSimple();
      const { key, sep, value } = item;
      if (!sep && !value) {
        // Only a trailing comma may leave an item empty: `[a, b, ]`.
        if (key || (index === 0 && props.comma) || index < flow.items.length - 1) notSimple();
        offset = props.end;
        continue;
      }
      if (index === 0 ? props.comma : !props.comma) notSimple();
      if (value === undefined || isBlockCollection(value)) notSimple();
      if (isMap) {
        if (!isFlowScalar(key)) notSimple();
        const name = this.key(key, object);
        if (!readProps(sep ?? [], 'map-value-ind', false, true, this.end).found) notSimple();
        object[name] = this.node(value, depth);
      } else {
        // A pair in a flow list (`[a: 1]`) is a mapping of its own; left to the Composer.
        if (key || sep) notSimple();
        array.push(this.node(value, depth));
      }
      offset = this.end;
    }
    const [close, ...after] = flow.end;
    if (close?.source !== (isMap ? '}' : ']')) notSimple();
    this.end = readEnd(after, close.offset + close.source.length, this.scalars.options.strict);
    return isMap ? object : array;
  }

  /** A key's name, as `toPlainValue` makes it; declines keys the loader refuses or treats specially. */
  private key(token: CST.FlowScalar, object: Record<string, unknown>): string {
    return keyName(this.scalar(token, true), token.type === 'scalar', object) ?? notSimple();
  }

  /** A scalar's value, resolved as `composeScalar` resolves it (no tags here). */
  private scalar(token: CST.Token, atKey: boolean): unknown {
    const { value, end } = this.scalars.resolve(token, atKey);
    this.end = end;
    return value;
  }
}

/**
 * Reads the tokens before a key or value as yaml's `resolveProps` does, and
 * declines any it would report, or that carry an anchor, a tag or a tab.
 */
function readProps(
  tokens: readonly CST.SourceToken[],
  indicator: CST.SourceToken['type'],
  startOnNewline: boolean,
  flow: boolean,
  offset: number,
): Props {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let comma = false;
  let found: CST.SourceToken | undefined;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        // Tabs as indentation are errors in some places only; the Composer knows which.
        if (token.source.includes('\t')) notSimple();
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) notSimple();
        break;
      case 'newline':
        hasNewline = true;
        hasSpace = true;
        break;
      case 'comma':
        if (!flow || comma) notSimple();
        comma = true;
        hasSpace = false;
        break;
      default:
        if (token.type !== indicator || found) notSimple();
        found = token;
        hasSpace = false;
    }
  }
  const last = tokens.at(-1);
  return { found, comma, hasNewline, end: last ? last.offset + last.source.length : offset };
}

/** Where the comments and line breaks after a node end, read as yaml's `resolveEnd` does. */
function readEnd(
  tokens: readonly CST.SourceToken[] | undefined,
  offset: number,
  requireSpace: boolean,
): number {
  let end = offset;
  let hasSpace = false;
  for (const token of tokens ?? []) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type !== 'comment' || (requireSpace && !hasSpace)) notSimple();
    end += token.source.length;
  }
  return end;
}

/** A plain or quoted scalar (an alias is a `FlowScalar` to yaml, but not one to this walk). */
function isFlowScalar(token: CST.Token | null | undefined): token is CST.FlowScalar {
  return (
    token?.type === 'scalar' ||
    token?.type === 'single-quoted-scalar' ||
    token?.type === 'double-quoted-scalar'
  );
}

function isBlockCollection(token: CST.Token): boolean {
  return token.type === 'block-map' || token.type === 'block-seq';
}

/** Whether an implicit key spans lines, which YAML forbids (yaml's `containsNewline`). */
function containsNewline(key: CST.FlowScalar): boolean {
  return key.source.includes('\n') || !!key.end?.some((token) => token.type === 'newline');
}
