/** A small seeded PRNG (sfc32), so every archive and query mix is the same on every run and machine. */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element, uniformly. */
  pick<T>(list: readonly T[]): T;
  /** One element, Zipf-like: index i has weight ~ 1/(i+1), so early entries are the common ones. */
  zipf<T>(list: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * @example const rnd = createRandom(42); rnd.int(1, 6)
 */
export function createRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    // Inverse CDF of a continuous 1/x density on [1, n+1): cheap and close enough to Zipf's law.
    zipf: <T>(list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor((list.length + 1) ** next()) - 1)]!,
    chance: (p: number): boolean => next() < p,
  };
}
