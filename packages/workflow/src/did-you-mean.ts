/**
 * The candidate closest to `input`, if one is close enough to be a likely typo:
 * the same word in another case or spelling (`executionMode` for
 * `execution_mode`), or within a small edit distance (about one edit per three
 * characters; a swap of two neighbours counts as one edit).
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  return closest(normalise(input), candidates, candidates.map(normalise));
}

function closest(
  wanted: string,
  candidates: readonly string[],
  normalised: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [index, other] of normalised.entries()) {
    if (other === wanted) return candidates[index];
    const limit = Math.max(1, Math.floor(Math.min(wanted.length, other.length) / 3));
    const distance = editDistance(wanted, other, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidates[index];
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

/**
 * A {@link didYouMean} over a fixed, possibly large list of candidates (the
 * task ids of a workflow), for many lookups: answers are remembered, and once
 * about `budget` candidates have been compared, only a candidate that differs
 * in case or in its separators is suggested, so that ten thousand unknown
 * ids among ten thousand tasks cost map lookups, not a hundred million
 * comparisons.
 */
export function createSuggester(
  candidates: readonly string[],
  budget = 200_000,
): (input: string) => string | undefined {
  // Built at the first lookup: a valid workflow asks for no suggestion at all.
  let normalised: string[] = [];
  let byNormalForm: Map<string, string> | undefined;
  let searchesLeft = Math.max(1, Math.floor(budget / Math.max(1, candidates.length)));
  const answers = new Map<string, string | undefined>();
  return (input) => {
    if (answers.has(input)) return answers.get(input);
    if (byNormalForm === undefined) {
      normalised = candidates.map(normalise);
      byNormalForm = new Map();
      for (const [index, key] of normalised.entries()) {
        if (!byNormalForm.has(key)) byNormalForm.set(key, candidates[index]!);
      }
    }
    const wanted = normalise(input);
    let answer = byNormalForm.get(wanted);
    if (answer === undefined && searchesLeft > 0) {
      searchesLeft -= 1;
      answer = closest(wanted, candidates, normalised);
    }
    answers.set(input, answer);
    return answer;
  };
}
