import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The definition: a JSON round trip, then every object's keys sorted. */
function reference(value: unknown): string {
  const sorted = (item: unknown): string => {
    if (Array.isArray(item)) return `[${item.map(sorted).join(',')}]`;
    if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      return `{${Object.keys(record)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${sorted(record[key])}`)
        .join(',')}}`;
    }
    return JSON.stringify(item);
  };
  return sorted(JSON.parse(JSON.stringify(value)));
}

describe('canonicalJson', () => {
  it('gives the same text as ever for values JSON treats specially', () => {
    const tricky = {
      z: [1, undefined, () => 1, Symbol('s'), null, -0, 1e21, 0.1, Number.NaN, Infinity],
      '10': 'ten',
      '2': 'two',
      B: true,
      a: { skipped: undefined, fn: () => 1, empty: {}, list: [] },
      é: 'accent',
      '\u{1F600}': 'emoji',
      '\uFF5A': 'fullwidth z',
      when: new Date(0),
      quoted: 'say "hi"\n\u0007\ud800 ✓',
      boxed: [new String('s'), new Number(2), new Boolean(false)],
      custom: { toJSON: () => ({ y: 1, x: 2 }) },
      ...JSON.parse('{"__proto__":{"b":1,"a":2}}'),
    };
    // Pinned: journals store a hash of this text, so it must never change.
    expect(canonicalJson(tricky)).toBe(
      '{"10":"ten","2":"two","B":true,"__proto__":{"a":2,"b":1},"a":{"empty":{},"list":[]},' +
        '"boxed":["s",2,false],"custom":{"x":2,"y":1},"quoted":"say \\"hi\\"\\n\\u0007\\ud800 ✓",' +
        '"when":"1970-01-01T00:00:00.000Z","z":[1,null,null,null,null,0,1e+21,0.1,null,null],' +
        '"é":"accent","😀":"emoji","ｚ":"fullwidth z"}',
    );
    expect(canonicalJson(tricky)).toBe(reference(tricky));
    expect([canonicalJson('s'), canonicalJson(3), canonicalJson(null), canonicalJson([])]).toEqual([
      '"s"',
      '3',
      'null',
      '[]',
    ]);
    const hidden = Object.defineProperty({ b: 1, a: 2 }, 'c', { value: 3, enumerable: false });
    const inherited = Object.create({ c: 4, a: 5 }) as Record<string, unknown>;
    inherited.b = 6;
    const revived = Object.assign(() => 1, { toJSON: () => ({ z: 1, y: 2 }) });
    for (const value of [
      [{ c: 0 }, hidden],
      [{ c: 0, a: 0 }, inherited],
      { revived, a: 1 },
      [Object.assign(Object.create(null), { b: 1, a: 2 }), { c: 3 }],
    ]) {
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('agrees with the definition on many generated values', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = [
      'a',
      'b',
      'B',
      '10',
      '2',
      'é',
      'type',
      '__proto__',
      '',
      'a b',
      '\u{1F600}',
      'constructor',
      'toString',
    ];
    const value = (depth: number): unknown => {
      const pick = Math.floor(random() * (depth > 3 ? 5 : 8));
      if (pick === 0) return Math.floor(random() * 2000) - 1000;
      if (pick === 1) return random() * 1e6;
      if (pick === 2) return `s${Math.floor(random() * 100)}"\\\n`;
      if (pick === 3) return random() < 0.5 ? null : random() < 0.5;
      if (pick === 4) return undefined;
      if (pick === 5)
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const record: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        Object.defineProperty(record, keys[Math.floor(random() * keys.length)]!, {
          value: value(depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return record;
    };
    for (let i = 0; i < 2000; i++) {
      const item = { root: value(0) };
      expect(canonicalJson(item)).toBe(reference(item));
    }
  });

  it('refuses what JSON cannot hold', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });

  it('handles deep nesting, and objects that share few of their keys', () => {
    for (const depth of [100, 1000]) {
      let deep: unknown = 'bottom';
      for (let i = 0; i < depth; i++) deep = i % 2 === 0 ? [deep] : { b: deep, a: i };
      expect(canonicalJson(deep)).toBe(reference(deep));
    }
    const sparse = {
      contexts: Object.fromEntries(
        Array.from({ length: 500 }, (_, i) => [`c${499 - i}`, { system: `s${i}`, maxHistory: i }]),
      ),
    };
    expect(canonicalJson(sparse)).toBe(reference(sparse));
  });
});
