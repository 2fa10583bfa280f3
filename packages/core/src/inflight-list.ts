/**
 * Something in flight that a cancel must abort: a provider attempt, or a
 * retry wait. It carries the links of the {@link InflightList} it is in, so
 * that joining and leaving the list allocate nothing.
 */
export abstract class Abortable {
  /** @internal The list this is in, if any; kept by {@link InflightList}. */
  inflightList: InflightList | undefined = undefined;
  /** @internal */
  inflightPrev: Abortable | undefined = undefined;
  /** @internal */
  inflightNext: Abortable | undefined = undefined;

  abstract abort(reason: Error): void;
}

/**
 * The attempts and waits of a run that are in flight: what `cancel()` aborts.
 *
 * An intrusive doubly linked list rather than a `Set`: a wide phase adds and
 * removes one entry per task, and a `Set` pays a hash-table insert, a delete
 * and its occasional rehash for each, where this sets a few fields.
 */
export class InflightList {
  #head: Abortable | undefined;
  #size = 0;

  /** How many entries are in the list. */
  get size(): number {
    return this.#size;
  }

  /** Adds `entry`; does nothing if it is in a list already. */
  add(entry: Abortable): void {
    if (entry.inflightList !== undefined) return;
    const head = this.#head;
    entry.inflightList = this;
    entry.inflightPrev = undefined;
    entry.inflightNext = head;
    if (head !== undefined) head.inflightPrev = entry;
    this.#head = entry;
    this.#size++;
  }

  /** Removes `entry`; does nothing if it is not in this list. */
  delete(entry: Abortable): void {
    if (entry.inflightList !== this) return;
    const { inflightPrev: prev, inflightNext: next } = entry;
    if (prev === undefined) this.#head = next;
    else prev.inflightNext = next;
    if (next !== undefined) next.inflightPrev = prev;
    entry.inflightList = undefined;
    entry.inflightPrev = undefined;
    entry.inflightNext = undefined;
    this.#size--;
  }

  /** The entries now, newest first: a copy, so entries may leave the list while it is walked. */
  toArray(): Abortable[] {
    const entries: Abortable[] = [];
    for (let entry = this.#head; entry !== undefined; entry = entry.inflightNext) {
      entries.push(entry);
    }
    return entries;
  }
}
