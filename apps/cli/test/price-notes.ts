/**
 * `stderr` without the notes of models the price table does not know: the
 * local test servers answer for models of made-up names, or at addresses the
 * table has never heard of, so a run on them says its cost is not counted.
 * Tests about other things take those lines out; budget.test.ts checks them.
 */
export function withoutPriceNotes(stderr: string): string {
  return stderr.replace(/^multi-context: no price known for .*\n/gm, '');
}
