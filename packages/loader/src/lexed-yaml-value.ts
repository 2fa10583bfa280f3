import { type CST, Lexer } from 'yaml';
import { keyName, ScalarResolver } from './scalar-resolver.js';
import { MAX_NESTING_DEPTH } from './yaml-limits.js';

/** Where the reader leaves the subset it knows; `lexedYamlValue` then declines the text. */
class NotLexed extends Error {}

function decline(): never {
  throw new NotLexed();
}

/** The lexer's marker of a document's start (it has no width in the text). */
const DOCUMENT = '\x02';
/** The lexer's marker before a plain scalar or a block scalar's body (no width either). */
const SCALAR = '\x1f';
/**
 * Characters the lexer uses as markers, other control characters and a
 * carriage return that is not part of a CRLF: a text holding them is left
 * to the other paths.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const MARKER_OR_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]|\r(?!\n)/;
/** The block scalar headers read here: no explicit indentation indicator. */
const BLOCK_HEADER = /^[|>][-+]?$/;
/** Implicit keys longer than this are left to the full path (yaml's limit is 1024 characters). */
const MAX_KEY_LENGTH = 1000;

let resolver: ScalarResolver | undefined;

/**
 * The plain value of a text that is one simple YAML document, read straight
 * from the tokens of yaml's `Lexer`; undefined for any other text.
 *
 * The first and fastest of the loader's paths. yaml's `Parser`, which builds
 * the concrete syntax tree that the other two read, costs several times what
 * its `Lexer` does on a large file; this reader needs only the lexer's
 * tokens, because it knows a smaller subset of YAML than
 * `simpleYamlValue`: block mappings and lists with one node per line start,
 * plain and quoted scalars, block scalars without an indentation indicator,
 * flow lists and mappings on one line, and comments. Everything else (an
 * empty value, a value on the line below its key that is not a collection,
 * a flow collection over several lines, a tab among the spaces, anything
 * `simpleYamlValue` leaves to the full path) is declined, and the loader
 * reads the text the slower way. Scalars are resolved by yaml itself; a text
 * accepted here composes without any issue into the same value, which the
 * tests check against the full path on generated and mangled texts.
 */
export function lexedYamlValue(text: string): { value: unknown } | undefined {
  if (MARKER_OR_CONTROL.test(text)) return undefined;
  try {
    resolver ??= new ScalarResolver(decline);
    return { value: new LexemeReader(new Lexer().lex(text), resolver).document() };
  } catch {
    // NotLexed, or anything the reader did not foresee: the other paths decide.
    return undefined;
  }
}

/**
 * Reads the lexer's tokens (strings: markers, indicators, spaces, line
 * breaks, comments and scalar sources) from left to right. Each node reader
 * starts at the node's first token and returns at the first token of the
 * next line with content, whose indentation is then in {@link indent}.
 */
class LexemeReader {
  /**
   * The tokens read from the lexer and not yet taken, from {@link at} on.
   * Tokens are pulled as the reader needs them (it looks at most four
   * ahead), so that they die young: holding the 250,000 tokens of a large
   * file at once made garbage collection cost more than the reading.
   */
  private ahead: string[] = [];
  /** The index in {@link ahead} of the next token. */
  private at = 0;
  /** The column of the next token. */
  private column = 0;
  /** The indentation of the line the reader is on, after a node: -1 at the end of the text. */
  private indent = -1;

  constructor(
    private readonly lexer: Iterator<string>,
    private readonly scalars: ScalarResolver,
  ) {}

  document(): unknown {
    // Comments and blank lines may come before the document's marker.
    for (let token = this.peek(); token !== DOCUMENT; token = this.peek()) {
      if (isSpace(token)) this.space();
      else if (isComment(token) || isNewline(token)) this.take();
      else decline();
    }
    this.take();
    if (this.column !== 0) decline();
    if (this.peek() === '---') {
      this.take();
      this.endLine();
    } else {
      this.nextLine();
    }
    if (this.indent < 0) decline();
    let value: unknown;
    const first = this.peek();
    if (first === '[' || first === '{') {
      value = this.flowCollection(1);
      this.endLine();
    } else {
      value = this.blockNode(this.indent, 0);
    }
    if (this.indent !== -1) decline();
    return value;
  }

  /** A block list or mapping whose first token is the next one, at column `indent`. */
  private blockNode(indent: number, depth: number): unknown {
    if (this.peek() === '-') return this.blockSeq(indent, depth + 1, false);
    if (this.keyAhead()) return this.blockMap(indent, depth + 1);
    return decline();
  }

  private blockMap(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING_DEPTH) decline();
    const object: Record<string, unknown> = {};
    for (;;) {
      const start = this.column;
      const key = this.flowScalar();
      if (key.source.includes('\n')) decline();
      const name = keyName(this.resolve(key, true), key.type === 'scalar', object) ?? decline();
      this.space();
      if (this.take() !== ':' || this.column - start > MAX_KEY_LENGTH) decline();
      object[name] = this.afterIndicator()
        ? this.inlineValue(depth)
        : this.below(indent, depth, true);
      if (this.indent === indent) {
        // The next key; `keyAhead` is not needed, `flowScalar` declines what is not one.
        continue;
      }
      if (this.indent > indent) decline();
      return object;
    }
  }

  private blockSeq(indent: number, depth: number, compact: boolean): unknown[] {
    if (depth > MAX_NESTING_DEPTH) decline();
    const array: unknown[] = [];
    for (;;) {
      this.take(); // '-'
      if (!this.afterIndicator()) {
        array.push(this.below(indent, depth, false));
      } else if (this.peek() === '-') {
        array.push(this.blockSeq(this.column, depth + 1, false));
      } else if (this.keyAhead()) {
        array.push(this.blockMap(this.column, depth + 1));
      } else {
        array.push(this.inlineValue(depth));
      }
      if (this.indent === indent && this.peek() === '-') continue;
      if (this.indent > indent || (this.indent === indent && !compact)) decline();
      return array;
    }
  }

  /**
   * Goes past the spaces after a `:` or `-` and tells whether a value
   * follows on the same line; if not, past the comment too (if any).
   */
  private afterIndicator(): boolean {
    const token = this.peek();
    if (token !== undefined && !isNewline(token)) {
      if (!isSpace(token)) decline();
      this.space();
    }
    const next = this.peek();
    if (isComment(next)) {
      this.take();
      return false;
    }
    return next !== undefined && !isNewline(next);
  }

  /**
   * The value under a key or list item whose line ends after its indicator
   * (and a comment): a collection more indented, or a list at the key's
   * indentation.
   */
  private below(indent: number, depth: number, underKey: boolean): unknown {
    this.endLine();
    if (this.indent > indent) return this.blockNode(this.indent, depth);
    if (underKey && this.indent === indent && this.peek() === '-') {
      return this.blockSeq(indent, depth + 1, true);
    }
    // An empty value: null to yaml, and an issue to the loader; the full path says so.
    return decline();
  }

  /** A value that starts on the line of its key or list item. */
  private inlineValue(depth: number): unknown {
    const token = this.peek();
    if (token === '[' || token === '{') {
      const value = this.flowCollection(depth + 1);
      this.endLine();
      return value;
    }
    if (token !== undefined && (token[0] === '|' || token[0] === '>')) {
      return this.blockScalar(token);
    }
    const value = this.resolve(this.flowScalar(), false);
    this.endLine();
    return value;
  }

  private blockScalar(header: string): unknown {
    if (!BLOCK_HEADER.test(header)) decline();
    this.take();
    const props: CST.SourceToken[] = [sourceToken('block-scalar-header', header)];
    if (isSpace(this.peek())) {
      props.push(sourceToken('space', this.space()));
      if (isComment(this.peek())) props.push(sourceToken('comment', this.take()));
    }
    if (isNewline(this.peek())) this.take();
    if (this.take() !== SCALAR) decline();
    const body = this.take();
    if (body === undefined || body.includes('\t')) decline();
    // With blank lines before the first line of text, where the text starts
    // depends on the indentation the Parser tracks; left to it.
    if (/^ *\r?(?:\n|$)/.test(body) && body.trim() !== '') decline();
    const value = this.resolve(
      { type: 'block-scalar', offset: 0, indent: 0, props, source: body },
      false,
    );
    // A body ends with its line break, or with the text.
    if (body !== '' && !body.endsWith('\n') && this.peek() !== undefined) decline();
    this.nextLine();
    return value;
  }

  /** A flow list or mapping on one line, its opening bracket next. */
  private flowCollection(depth: number): unknown {
    if (depth > MAX_NESTING_DEPTH) decline();
    const isMap = this.take() === '{';
    const close = isMap ? '}' : ']';
    const object: Record<string, unknown> = {};
    const array: unknown[] = [];
    let expectItem = true;
    for (;;) {
      this.space();
      if (this.peek() === close) {
        this.take();
        return isMap ? object : array;
      }
      if (!expectItem) decline();
      if (isMap) {
        const key = this.flowScalar();
        if (key.source.includes('\n') || key.source.length > MAX_KEY_LENGTH) decline();
        const name = keyName(this.resolve(key, true), key.type === 'scalar', object) ?? decline();
        this.space();
        if (this.take() !== ':') decline();
        this.space();
        object[name] = this.flowValue(depth);
      } else {
        array.push(this.flowValue(depth));
      }
      this.space();
      expectItem = this.peek() === ',';
      if (expectItem) this.take();
    }
  }

  private flowValue(depth: number): unknown {
    const token = this.peek();
    if (token === '[' || token === '{') return this.flowCollection(depth + 1);
    const scalar = this.flowScalar();
    if (scalar.source.includes('\n')) decline();
    return this.resolve(scalar, false);
  }

  /** A plain or quoted scalar, next in the tokens. */
  private flowScalar(): CST.FlowScalar {
    const token = this.take();
    if (token === SCALAR) {
      const source = this.take();
      if (!source) decline();
      return { type: 'scalar', offset: 0, indent: 0, source };
    }
    if (token?.[0] === '"')
      return { type: 'double-quoted-scalar', offset: 0, indent: 0, source: token };
    if (token?.[0] === "'")
      return { type: 'single-quoted-scalar', offset: 0, indent: 0, source: token };
    return decline();
  }

  /** Whether a key (a one-token scalar, spaces, `:`) is next. */
  private keyAhead(): boolean {
    let at = 0;
    const token = this.peek();
    if (token === SCALAR) at += 2;
    else if (token?.[0] === '"' || token?.[0] === "'") at += 1;
    else return false;
    if (isSpace(this.peek(at))) at += 1;
    return this.peek(at) === ':';
  }

  private resolve(token: CST.Token, atKey: boolean): unknown {
    if (token.type === 'block-scalar') return this.scalars.resolve(token, atKey).value;
    const { type, source } = token as CST.FlowScalar;
    return this.scalars.flow(type, source, atKey);
  }

  /** Takes the spaces next, if any (a tab declines), and returns them. */
  private space(): string {
    const token = this.peek();
    if (!isSpace(token)) return '';
    if (token.includes('\t')) decline();
    return this.take();
  }

  /** Ends a line after a node: spaces, a comment after a space, then the line break or the text's end. */
  private endLine(): void {
    if (this.space() !== '' && isComment(this.peek())) this.take();
    this.lineBreak();
    this.nextLine();
  }

  /**
   * Goes past blank and comment lines to the first token of the next line
   * with content, and sets {@link indent} to its column (-1 at the end).
   */
  private nextLine(): void {
    for (;;) {
      const spaces = this.space();
      const token = this.peek();
      if (token === undefined) {
        this.indent = -1;
        return;
      }
      if (isComment(token)) {
        this.take();
        this.lineBreak();
        continue;
      }
      if (isNewline(token)) {
        this.take();
        continue;
      }
      if (this.column !== spaces.length) decline();
      this.indent = this.column;
      return;
    }
  }

  /** Takes the line break next; nothing at the end of the text, and anything else declines. */
  private lineBreak(): void {
    const token = this.peek();
    if (token === undefined) return;
    if (!isNewline(token)) decline();
    this.take();
  }

  /** The token `offset` places after the next one, undefined past the end. */
  private peek(offset = 0): string | undefined {
    while (this.ahead.length - this.at <= offset) {
      const next = this.lexer.next();
      if (next.done) return undefined;
      this.ahead.push(next.value);
    }
    return this.ahead[this.at + offset];
  }

  private take(): string {
    const token = this.peek();
    if (token === undefined) return decline();
    if (++this.at === 256) {
      this.ahead = this.ahead.slice(this.at);
      this.at = 0;
    }
    if (token === DOCUMENT || token === SCALAR) return token;
    const lineBreak = token.lastIndexOf('\n');
    this.column = lineBreak < 0 ? this.column + token.length : token.length - lineBreak - 1;
    return token;
  }
}

function isSpace(token: string | undefined): token is string {
  return token !== undefined && (token[0] === ' ' || token[0] === '\t');
}

function isComment(token: string | undefined): token is string {
  return token?.[0] === '#';
}

/** A line break (the lexer's empty line break token is left to the full path). */
function isNewline(token: string | undefined): token is string {
  return token === '\n' || token === '\r\n';
}

function sourceToken(type: CST.SourceToken['type'], source: string): CST.SourceToken {
  return { type, offset: 0, indent: 0, source };
}
