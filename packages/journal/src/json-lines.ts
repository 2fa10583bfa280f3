import type { RunEvent } from '@multi-context/events';

const NEWLINE = 0x0a;
/** Where one event ends and the next begins in `JSON.stringify(events)`, when each starts with its `type`. */
const BOUNDARY = Buffer.from('},{"type":"', 'utf8');
/** Events per `JSON.stringify` call: bounds the size of one string however long a batch is. */
const CHUNK = 1024;

/**
 * The events as JSON lines: for each, exactly `JSON.stringify(event)` and a
 * newline, in order, as buffers ready to write.
 *
 * One `JSON.stringify` of many events costs much less than one call per
 * event (no per-call overhead, no string to join per line). Its top-level
 * commas are then turned into newlines in place. Every event of core starts
 * with its `type` key, so each boundary reads `},{"type":"`; checking that each
 * event does start with `type`, and that exactly one boundary per pair of
 * events was found, rules out a look-alike nested inside an event. Anything
 * else takes the plain path, one `JSON.stringify` per event.
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
    const buffer = Buffer.from(JSON.stringify(events), 'utf8');
    let boundaries = 0;
    for (
      let at = buffer.indexOf(BOUNDARY);
      at !== -1;
      at = buffer.indexOf(BOUNDARY, at + BOUNDARY.length)
    ) {
      buffer[at + 1] = NEWLINE;
      boundaries++;
    }
    if (boundaries === events.length - 1) {
      // `[line,line]` becomes `line\nline\n`: drop the `[`, the `]` becomes the last newline.
      buffer[buffer.length - 1] = NEWLINE;
      return buffer.subarray(1);
    }
  }
  return Buffer.from(events.map((event) => `${JSON.stringify(event)}\n`).join(''), 'utf8');
}

function startsWithType(event: RunEvent): boolean {
  for (const key in event) return key === 'type';
  return false;
}
