import { describe, it, expect } from "vitest";
import { FrameBudget, startRate } from "./headsetProfile.js";

const run = (b: FrameBudget, workMs: number, seconds: number): (number | null)[] => {
  const out: (number | null)[] = [];
  const dt = 1 / b.rate;
  for (let t = 0; t < seconds; t += dt) { const r = b.sample(workMs, dt); if (r !== null) out.push(r); }
  return out;
};

describe("the headset's frame budget", () => {
  it("starts at the fastest rate within 72-90 Hz", () => {
    expect(startRate([72, 80, 90, 120])).toBe(90);
    expect(startRate([60, 72])).toBe(72);
    expect(startRate([60])).toBe(false);
  });

  it("steps down while frames overrun the budget, and back up when there is room", () => {
    const b = new FrameBudget([72, 80, 90, 120], 90);
    // 12.5 ms of work does not fit 90 Hz (11.1 ms) nor, with margin, 80 Hz (12.5 ms)
    expect(run(b, 12.5, 4.1)).toEqual([80, 72]);
    expect(b.budgetMs).toBeCloseTo(1000 / 72);
    expect(run(b, 12.5, 6)).toEqual([]);
    // light frames: climb back to 90 Hz, never past it
    expect(run(b, 5, 8)).toEqual([80, 90]);
    expect(b.frameMs).toBe(5);
  });
});
