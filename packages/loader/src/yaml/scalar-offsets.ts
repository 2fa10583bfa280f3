import type { Scalar } from 'yaml';

/** A piece of a scalar's string value. */
interface Span {
  offset: number;
  length: number;
}

/** How many source characters each escape of a double-quoted scalar takes, beyond the backslash. */
const HEX_ESCAPE_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Where in the source text a piece of a scalar's value is written. Exact for
 * single-line plain, single-quoted and double-quoted scalars (quotes, `''`
 * and escapes counted) and for literal block scalars (`|`: each value line
 * is a source line less its indentation). Folded block scalars (`>`) and
 * multi-line flow scalars fold lines, so there the piece is looked for as it
 * is written in the source (it is, unless it spans a folded line break); when
 * it cannot be found, the scalar's start is returned.
 */
export function offsetInScalar(scalar: Scalar, text: string, span: Span): number {
  const range = scalar.range ?? [0, 0];
  const start = range[0];
  const source = text.slice(start, range[1]);
  const value = String(scalar.value);
  const singleLine = !source.includes('\n');
  let inSource: number | undefined;
  if (singleLine && scalar.type === 'PLAIN') inSource = span.offset;
  else if (singleLine && scalar.type === 'QUOTE_SINGLE')
    inSource = singleQuoted(source, span.offset);
  else if (singleLine && scalar.type === 'QUOTE_DOUBLE')
    inSource = doubleQuoted(source, span.offset);
  else if (scalar.type === 'BLOCK_LITERAL') inSource = literalBlock(source, value, span.offset);
  inSource ??= findAsWritten(source, value, span);
  return start + (inSource ?? 0);
}

function singleQuoted(source: string, offset: number): number {
  let at = 1;
  for (let read = 0; read < offset && at < source.length; read += 1) {
    at += source[at] === "'" && source[at + 1] === "'" ? 2 : 1;
  }
  return at;
}

function doubleQuoted(source: string, offset: number): number {
  let at = 1;
  let read = 0;
  while (read < offset && at < source.length) {
    if (source[at] !== '\\') {
      at += 1;
      read += 1;
      continue;
    }
    const escaped = source[at + 1] ?? '';
    const digits = HEX_ESCAPE_DIGITS[escaped];
    if (digits === undefined) {
      at += 2;
      read += 1;
      continue;
    }
    const codePoint = Number.parseInt(source.slice(at + 2, at + 2 + digits), 16);
    at += 2 + digits;
    read += codePoint > 0xffff ? 2 : 1;
  }
  return at;
}

/** In a literal block, value line `n` is source line `n + 1` (after the `|` header) less its indentation. */
function literalBlock(source: string, value: string, offset: number): number | undefined {
  const lineStart = value.lastIndexOf('\n', offset - 1) + 1;
  const lineIndex = countNewlines(value, lineStart);
  const valueLineEnd = value.indexOf('\n', lineStart);
  const valueLine = value.slice(lineStart, valueLineEnd === -1 ? value.length : valueLineEnd);
  let sourceLineStart = 0;
  for (let n = 0; n <= lineIndex; n += 1) {
    sourceLineStart = source.indexOf('\n', sourceLineStart) + 1;
    if (sourceLineStart === 0) return undefined;
  }
  const sourceLineEnd = source.indexOf('\n', sourceLineStart);
  const sourceLine = source
    .slice(sourceLineStart, sourceLineEnd === -1 ? source.length : sourceLineEnd)
    .replace(/\r$/, '');
  if (!sourceLine.endsWith(valueLine)) return undefined;
  return sourceLineStart + (sourceLine.length - valueLine.length) + (offset - lineStart);
}

/** The n-th occurrence in the source of the n-th occurrence of the piece in the value, if both agree. */
function findAsWritten(source: string, value: string, span: Span): number | undefined {
  const piece = value.slice(span.offset, span.offset + span.length);
  if (piece === '') return undefined;
  const inValue = occurrences(value, piece);
  const inSource = occurrences(source, piece);
  if (inValue.length !== inSource.length) return undefined;
  const index = inValue.indexOf(span.offset);
  return index === -1 ? undefined : inSource[index];
}

function occurrences(text: string, piece: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) found.push(at);
  return found;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1))
    count += 1;
  return count;
}
