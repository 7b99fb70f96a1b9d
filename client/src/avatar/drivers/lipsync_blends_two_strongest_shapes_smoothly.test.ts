import { describe, it, expect } from "vitest";
import { LipSyncDriver, keepStrongest } from "./LipSyncDriver.js";

const FRAME = 1 / 60;
const run = (d: LipSyncDriver, seconds: number, mouth: Parameters<LipSyncDriver["update"]>[1], scale = 1): void => {
  for (let t = 0; t < seconds; t += FRAME) d.update(FRAME, mouth, scale);
};
const active = (d: LipSyncDriver): string[] => Object.entries(d.weights).filter(([, w]) => w > 0.01).map(([k]) => k);

describe("lip-sync driver", () => {
  it("keeps only the two strongest shapes", () => {
    const w = { aa: 0.9, ih: 0.2, ou: 0.5, ee: 0.3, oh: 0.1 };
    keepStrongest(w, 2);
    expect(w).toEqual({ aa: 0.9, ih: 0, ou: 0.5, ee: 0, oh: 0 });
    const d = new LipSyncDriver();
    run(d, 0.3, { current: { aa: 0.9, ih: 0.2, ou: 0.5, ee: 0.3, oh: 0.1 }, next: null, nextInS: 0 });
    expect(active(d).sort()).toEqual(["aa", "ou"]);
  });

  it("never shows more than two shapes, even while one fades and two rise", () => {
    const d = new LipSyncDriver();
    run(d, 0.2, { current: { aa: 1 }, next: null, nextInS: 0 });
    for (let i = 0; i < 6; i++) {
      d.update(1 / 60, { current: { ou: 0.9, ih: 0.5 }, next: null, nextInS: 0 }, 1);
      expect(active(d).length).toBeLessThanOrEqual(2);
    }
  });

  it("opens fast and closes more slowly, without snapping", () => {
    const d = new LipSyncDriver();
    d.update(FRAME, { current: { aa: 1 }, next: null, nextInS: 0 }, 1);
    const afterOneFrame = d.weights.aa;
    expect(afterOneFrame).toBeGreaterThan(0.3);
    expect(afterOneFrame).toBeLessThan(1);
    run(d, 0.2, { current: { aa: 1 }, next: null, nextInS: 0 });
    expect(d.weights.aa).toBeGreaterThan(0.95);
    d.update(FRAME, null, 1);
    const drop = 1 - d.weights.aa;
    expect(drop).toBeGreaterThan(0.1);
    expect(drop).toBeLessThan(afterOneFrame);
  });

  it("closes the mouth in silence", () => {
    const d = new LipSyncDriver();
    run(d, 0.2, { current: { oh: 1 }, next: null, nextInS: 0 });
    run(d, 0.5, null);
    expect(Object.values(d.weights).every((w) => w === 0)).toBe(true);
  });

  it("moves toward the next cue just before it (coarticulation)", () => {
    const d = new LipSyncDriver();
    run(d, 0.3, { current: { aa: 1 }, next: { ou: 1 }, nextInS: 0.5 });
    expect(d.weights.ou).toBe(0);
    run(d, 0.1, { current: { aa: 1 }, next: { ou: 1 }, nextInS: 0.01 });
    expect(d.weights.ou).toBeGreaterThan(0.5);
  });

  it("scales shapes down under an emotion instead of fighting it", () => {
    const d = new LipSyncDriver();
    run(d, 0.4, { current: { aa: 1 }, next: null, nextInS: 0 }, 0.6);
    expect(d.weights.aa).toBeCloseTo(0.6, 1);
  });

  it("writes every viseme to the expression target", () => {
    const seen = new Map<string, number>();
    new LipSyncDriver().update(FRAME, { current: { ee: 1 }, next: null, nextInS: 0 }, 1, { setValue: (n, w) => seen.set(n, w) });
    expect([...seen.keys()].sort()).toEqual(["aa", "ee", "ih", "oh", "ou"]);
    expect(seen.get("ee")).toBeGreaterThan(0);
  });
});
