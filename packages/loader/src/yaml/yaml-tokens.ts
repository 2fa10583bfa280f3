import { type CST, LineCounter, Parser } from 'yaml';

/** A text parsed into yaml's concrete syntax tree, with its line starts. */
export interface YamlTokens {
  /** The top-level tokens of the text: documents, and comments and errors between them. */
  tokens: CST.Token[];
  /** The offset of each line start, for turning offsets into lines and columns. */
  lines: LineCounter;
}

/**
 * Parses `text` into yaml's concrete syntax tree. Done once per text: both
 * the fast path (`simpleYamlValue`) and the full one (`parseYamlDocument`)
 * read the same tokens.
 */
export function parseYamlTokens(text: string): YamlTokens {
  const lines = new LineCounter();
  return { tokens: Array.from(new Parser(lines.addNewLine).parse(text)), lines };
}
