import { describe, expect, it } from 'vitest';
import { Abortable, InflightList } from './inflight-list.js';

class Entry extends Abortable {
  aborted: Error | undefined;
  constructor(readonly name: string) {
    super();
  }
  abort(reason: Error): void {
    this.aborted = reason;
  }
}

const names = (list: InflightList) => list.toArray().map((entry) => (entry as Entry).name);

describe('InflightList', () => {
  it('holds what was added and not removed, newest first', () => {
    const list = new InflightList();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => new Entry(name)) as [
      Entry,
      Entry,
      Entry,
      Entry,
    ];
    for (const entry of [a, b, c, d]) list.add(entry);
    expect(names(list)).toEqual(['d', 'c', 'b', 'a']);
    list.delete(c); // a middle entry
    expect(names(list)).toEqual(['d', 'b', 'a']);
    list.delete(d); // the head
    expect(names(list)).toEqual(['b', 'a']);
    list.delete(a); // the tail
    expect(names(list)).toEqual(['b']);
    expect(list.size).toBe(1);
    list.delete(b);
    expect(names(list)).toEqual([]);
    expect(list.size).toBe(0);
  });

  it('ignores a second add, a second delete, and a delete from another list', () => {
    const list = new InflightList();
    const other = new InflightList();
    const a = new Entry('a');
    const b = new Entry('b');
    list.add(a);
    list.add(a);
    other.add(b);
    list.delete(b);
    expect(names(list)).toEqual(['a']);
    expect(names(other)).toEqual(['b']);
    list.delete(a);
    list.delete(a);
    expect(list.size).toBe(0);
    expect(names(other)).toEqual(['b']);
  });

  it('agrees with a Set over random adds and deletes', () => {
    const list = new InflightList();
    const model = new Set<Entry>();
    const pool = Array.from({ length: 20 }, (_, i) => new Entry(`e${i}`));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 2000; step++) {
      const entry = pool[Math.floor(random() * pool.length)]!;
      if (random() < 0.5) {
        list.add(entry);
        model.add(entry);
      } else {
        list.delete(entry);
        model.delete(entry);
      }
      expect(list.size).toBe(model.size);
    }
    expect(new Set(list.toArray())).toEqual(model);
  });

  it('gives a copy that stays whole while its entries leave the list', () => {
    const list = new InflightList();
    const entries = ['a', 'b', 'c'].map((name) => new Entry(name));
    for (const entry of entries) list.add(entry);
    const error = new Error('cancelled');
    for (const entry of list.toArray()) {
      entry.abort(error);
      list.delete(entry);
    }
    expect(entries.every((entry) => entry.aborted === error)).toBe(true);
    expect(list.size).toBe(0);
  });
});
