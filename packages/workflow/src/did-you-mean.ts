/**
 * The candidate closest to `input`, if one is close enough to be a likely typo:
 * the same word in another case or spelling (`executionMode` for
 * `execution_mode`), or within a small edit distance (about one edit per three
 * characters; a swap of two neighbours counts as one edit).
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const wanted = normalise(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const other = normalise(candidate);
    if (other === wanted) return candidate;
    const limit = Math.max(1, Math.floor(Math.min(wanted.length, other.length) / 3));
    const distance = editDistance(wanted, other, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function normalise(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Optimal string alignment distance between `a` and `b`, or `limit + 1` as soon
 * as it is known to exceed `limit` (so a long input costs nothing).
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousRow: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const beforePrevious = previousRow;
    previousRow = row;
    row = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previousRow[j]! + 1, row[j - 1]! + 1, previousRow[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      row[j] = value;
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
  }
  return row[b.length]!;
}
