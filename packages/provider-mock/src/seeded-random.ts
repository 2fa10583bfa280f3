/** FNV-1a: a tiny, fast 32-bit string hash, good enough to seed a PRNG. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A number in [0, 1) fixed by `seed` and `key` alone. Keying each draw (rather
 * than pulling from one shared sequence) keeps outcomes independent of the
 * order in which parallel calls happen to arrive.
 */
export function drawFor(seed: number, key: string): number {
  return createRandom(hashString(`${seed}\u0000${key}`))();
}
