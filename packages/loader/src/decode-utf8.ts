/** The text of a file, or where its first byte that is not UTF-8 is (and the text with U+FFFD for bad bytes). */
export type DecodedText =
  | { ok: true; text: string }
  | { ok: false; line: number; column: number; text: string };

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes UTF-8 bytes (dropping a byte order mark), or finds the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    // The lenient decoder puts U+FFFD where a bad sequence was; a U+FFFD
    // written in the file itself before that would move the position, which
    // only a file that is broken anyway can do.
    const text = lenient.decode(bytes);
    const index = Math.max(0, text.indexOf('\ufffd'));
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
    return { ok: false, line, column: index - lineStart + 1, text };
  }
}
