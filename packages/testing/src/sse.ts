/** One server-sent event frame: `data: <json>` (and `event: <name>` first, when given). */
export function sseFrame(data: unknown, event?: string): string {
  const line = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  return event === undefined ? line : `event: ${event}\n${line}`;
}
