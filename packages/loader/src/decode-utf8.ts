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
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    return { ok: false, line, column, text };
  }
}
