import type { RunEvent } from '@multi-context/events';

const NEWLINE = 0x0a;
/** Where one event ends and the next begins in `JSON.stringify(events)`, when each starts with its `type`. */
const BOUNDARY = '},{"type":"';
const LINE_BREAK = '}\n{"type":"';
/** Events per `JSON.stringify` call: bounds the size of one string however long a batch is. */
const CHUNK = 1024;

/**
 * The events as JSON lines: for each, exactly `JSON.stringify(event)` and a
 * newline, in order, as buffers ready to write.
 *
 * One `JSON.stringify` of many events costs much less than one call per
 * event (no per-call overhead, no string to join per line). Its top-level
 * commas are then turned into newlines. Every event of core starts with its
 * `type` key, so each boundary reads `},{"type":"`; checking that each event
 * does start with `type`, and that exactly one boundary per pair of events
 * was found, rules out a look-alike nested inside an event. Anything else
 * takes the plain path, one `JSON.stringify` per event.
 *
 * The boundaries are found in the string (a cheap built-in search, where a
 * search of a buffer is a native call per boundary). Text that is all ASCII,
 * as runs mostly are, is then copied byte for byte and the commas patched in
 * place; other text has them replaced before it is encoded.
 */
export function toJsonLines(events: readonly RunEvent[]): Buffer[] {
  const buffers: Buffer[] = [];
  for (let start = 0; start < events.length; start += CHUNK) {
    buffers.push(chunkToJsonLines(events.slice(start, start + CHUNK)));
  }
  return buffers;
}

function chunkToJsonLines(events: readonly RunEvent[]): Buffer {
  if (events.every(startsWithType)) {
    const text = JSON.stringify(events);
    const boundaries = findBoundaries(text);
    if (boundaries.length === events.length - 1) {
      let buffer: Buffer;
      if (Buffer.byteLength(text, 'utf8') === text.length) {
        // All ASCII: a byte per character, at the same offsets as in the string.
        buffer = Buffer.from(text, 'latin1');
        for (const at of boundaries) buffer[at + 1] = NEWLINE;
      } else {
        buffer = Buffer.from(text.replaceAll(BOUNDARY, LINE_BREAK), 'utf8');
      }
      // `[line,line]` becomes `line\nline\n`: drop the `[`, the `]` becomes the last newline.
      buffer[buffer.length - 1] = NEWLINE;
      return buffer.subarray(1);
    }
  }
  return Buffer.from(events.map((event) => `${JSON.stringify(event)}\n`).join(''), 'utf8');
}

/** The offsets of every `BOUNDARY` in `text`. */
function findBoundaries(text: string): number[] {
  const offsets: number[] = [];
  for (
    let at = text.indexOf(BOUNDARY);
    at !== -1;
    at = text.indexOf(BOUNDARY, at + BOUNDARY.length)
  ) {
    offsets.push(at);
  }
  return offsets;
}

function startsWithType(event: RunEvent): boolean {
  for (const key in event) return key === 'type';
  return false;
}
