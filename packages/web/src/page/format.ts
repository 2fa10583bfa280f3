/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600)
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * An amount with its currency: `0.0123 USD`. A usage recorded before
 * currencies existed has none; its prices were US dollars then.
 */
export function formatCost(amount: number, currency: string | undefined): string {
  return `${amount.toFixed(4)} ${currency ?? 'USD'}`;
}

/**
 * A usage's counts: `1,000 in · 9,000 cache read · 300 cache write · 2,045 out`.
 * The prompt-cache reads and writes are shown when the provider reports them,
 * and `in` is then only the input billed at the full price.
 */
export function formatUsageParts(
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens?: number;
    cacheWriteTokens?: number;
  },
  separator = ' · ',
): string {
  return [
    `${formatCount(usage.inputTokens)} in`,
    ...(usage.cacheReadTokens === undefined
      ? []
      : [`${formatCount(usage.cacheReadTokens)} cache read`]),
    ...(usage.cacheWriteTokens === undefined
      ? []
      : [`${formatCount(usage.cacheWriteTokens)} cache write`]),
    `${formatCount(usage.outputTokens)} out`,
  ].join(separator);
}

/** A wall-clock time with milliseconds: "14:03:07.250". */
export function formatClock(epochMs: number | undefined): string {
  if (epochMs === undefined) return '–';
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A date and time for the run list: "2026-12-05 14:03". */
export function formatDateTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Roughly how many tokens a streamed text is (4 characters a token), for a task still running. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
