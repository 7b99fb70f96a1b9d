/** What drivers write to: a VRM's expression manager (or a fake in tests). */
export interface ExpressionTarget {
  setValue(name: string, weight: number): void;
}

/** Exponential approach of `value` to `target` with time constant `tau` (s) over `delta` (s). */
export function approach(value: number, target: number, tau: number, delta: number): number {
  if (tau <= 0) return target;
  return value + (target - value) * (1 - Math.exp(-delta / tau));
}

export { seededRandom } from "@parley/shared";
