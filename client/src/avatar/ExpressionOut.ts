/**
 * The drivers' way into a VRM's expressions. A model may lack some presets (many
 * VRM 0.x files have no "ih"): a missing mouth shape falls back to the nearest one
 * it has, so every model still talks. Values are collected during the frame and
 * written once, the strongest winning where two shapes share a fallback.
 */
import type { VRMExpressionManager } from "@pixiv/three-vrm";
import type { ExpressionTarget } from "./drivers/types.js";

const FALLBACKS: Record<string, readonly string[]> = {
  aa: ["oh", "ee"],
  ih: ["ee", "aa"],
  ou: ["oh", "aa"],
  ee: ["ih", "aa"],
  oh: ["ou", "aa"],
  blink: [],
  relaxed: ["happy"],
  surprised: [],
};

export class ExpressionOut implements ExpressionTarget {
  private readonly route = new Map<string, string | null>();
  private readonly pending = new Map<string, number>();

  constructor(private readonly manager: VRMExpressionManager) {}

  private resolve(name: string): string | null {
    let r = this.route.get(name);
    if (r !== undefined) return r;
    r = this.manager.getExpression(name) ? name : null;
    for (const alt of FALLBACKS[name] ?? []) {
      if (r) break;
      if (this.manager.getExpression(alt)) r = alt;
    }
    this.route.set(name, r);
    return r;
  }

  setValue(name: string, weight: number): void {
    const real = this.resolve(name);
    if (!real) return;
    this.pending.set(real, Math.max(this.pending.get(real) ?? 0, weight));
  }

  /** Writes the frame's values. */
  flush(): void {
    for (const [name, w] of this.pending) this.manager.setValue(name, w);
    this.pending.clear();
  }

  /** The weight an expression really had this frame, after VRM overrides (call after vrm.update). */
  appliedWeight(name: string, mouthMultiplier: number): number {
    const real = this.resolve(name);
    if (!real) return 0;
    const e = this.manager.getExpression(real);
    return e ? e.outputWeight * mouthMultiplier : 0;
  }

  /** How much emotions with overrideMouth let mouth shapes through (three-vrm's own rule). */
  mouthMultiplier(): number {
    let m = 1;
    for (const e of this.manager.expressions) m -= e.overrideMouthAmount;
    return Math.max(0, m);
  }
}
