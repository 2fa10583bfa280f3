import type { Usage } from '@multi-context/events';

/** A duration as people read it: `312ms`, `4.2s`, `2m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** `1 attempt`, `3 attempts`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const integer = new Intl.NumberFormat('en-US');

/**
 * Token counts of a usage: `1,234 (812 in, 422 out)`, with the prompt-cache
 * reads and writes apart when the provider reports them (`12,345 (1,000 in,
 * 9,000 cache read, 300 cache write, 2,045 out)`: `in` is then only the
 * input billed at the full price), plus the cost when profiles have prices.
 */
export function formatUsage(usage: Usage): string {
  const parts = [
    `${integer.format(usage.inputTokens)} in`,
    ...(usage.cacheReadTokens === undefined
      ? []
      : [`${integer.format(usage.cacheReadTokens)} cache read`]),
    ...(usage.cacheWriteTokens === undefined
      ? []
      : [`${integer.format(usage.cacheWriteTokens)} cache write`]),
    `${integer.format(usage.outputTokens)} out`,
  ];
  const tokens = `${integer.format(usage.totalTokens)} (${parts.join(', ')})`;
  return usage.cost === undefined
    ? tokens
    : `${tokens}, cost ${formatCost(usage.cost, usage.currency)}`;
}

/**
 * An amount with its currency: `0.0123 USD`. A usage recorded before
 * currencies existed has none; its prices were US dollars then.
 */
export function formatCost(amount: number, currency: string | undefined): string {
  return `${amount.toFixed(4)} ${currency ?? 'USD'}`;
}

/** Text on one line: runs of whitespace, newlines included, become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * One line of text broken at spaces into lines of at most `width`
 * characters; a word longer than that is cut. The lines it wraps to keep the
 * line's indentation, so an indented list stays one.
 */
export function wrapText(line: string, width: number): string[] {
  if (textWidth(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const room = Math.max(1, width - textWidth(indent));
  const lines: string[] = [];
  let current = '';
  for (const word of line.slice(indent.length).split(/\s+/)) {
    if (word === '') continue;
    let rest = word;
    if (current !== '' && textWidth(current) + 1 + textWidth(rest) <= room) {
      current += ` ${rest}`;
      continue;
    }
    if (current !== '') lines.push(current);
    // A word wider than a whole line is cut into pieces of the line's width.
    while (textWidth(rest) > room) {
      const chars = Array.from(rest);
      lines.push(chars.slice(0, room).join(''));
      rest = chars.slice(room).join('');
    }
    current = rest;
  }
  if (current !== '') lines.push(current);
  return lines.map((text) => indent + text);
}

/** `text` cut to `width` characters, with an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** The last `width` characters of `text`, with a leading ellipsis when something was cut. */
export function tail(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return `…${chars.slice(chars.length - width + 1).join('')}`;
}

/** `text` padded with spaces to `width` characters (never cut). */
export function padEnd(text: string, width: number): string {
  const length = Array.from(text).length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

/** The visible width of plain text, counting code points. */
export function textWidth(text: string): number {
  return Array.from(text).length;
}

/** `failed: <message>`, or just the message when it already opens with the status ("Skipped: ..."). */
export function statusReason(status: string, message: string | undefined): string {
  if (message === undefined || message === '') return status;
  const line = oneLine(message);
  return line.toLowerCase().startsWith(status.toLowerCase()) ? line : `${status}: ${line}`;
}
