/** What drivers write to: a VRM's expression manager (or a fake in tests). */
export interface ExpressionTarget {
  setValue(name: string, weight: number): void;
}

/** Exponential approach of `value` to `target` with time constant `tau` (s) over `delta` (s). */
export function approach(value: number, target: number, tau: number, delta: number): number {
  if (tau <= 0) return target;
  return value + (target - value) * (1 - Math.exp(-delta / tau));
}

/** A seeded PRNG (mulberry32) so avatar life is reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
