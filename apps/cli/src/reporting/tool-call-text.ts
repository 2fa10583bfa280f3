import { oneLine, truncate } from './format.js';

/** How much of a tool call's arguments a line shows. */
const ARGUMENTS_WIDTH = 40;

/**
 * A tool call in a few words, for progress lines: its name and its
 * arguments as compact JSON, cut to one short line.
 *
 * @example
 * toolCallText('search', { q: 'rxjs operators' }); // 'search({"q":"rxjs operators"})'
 */
export function toolCallText(tool: string, args: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(args) ?? '';
  } catch {
    json = '…';
  }
  return `${tool}(${truncate(oneLine(json), ARGUMENTS_WIDTH)})`;
}
