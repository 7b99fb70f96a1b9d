import { describe, it, expect } from "vitest";
import { BlinkDriver } from "./BlinkDriver.js";

const FRAME = 1 / 60;

describe("blink driver", () => {
  it("blinks 10 to 25 times a minute at irregular intervals", () => {
    const d = new BlinkDriver(42);
    const starts: number[] = [];
    let prev = d.count;
    for (let t = 0; t < 600; t += FRAME) {
      d.update(FRAME, 0);
      if (d.count !== prev) { starts.push(t); prev = d.count; }
    }
    const perMinute = starts.length / 10;
    expect(perMinute).toBeGreaterThan(10);
    expect(perMinute).toBeLessThan(25);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.3); // not a metronome
    // an interval is at most 8 s, plus the 0.2 s blink itself
    expect(Math.max(...gaps)).toBeLessThanOrEqual(8.25);
  });

  it("closes fully and opens within a fifth of a second", () => {
    const d = new BlinkDriver(1);
    while (d.count === 0) d.update(FRAME, 0);
    let peak = 0;
    let closedFor = 0;
    // the first blink, until the eyes are open again
    for (let i = 0; i < 30; i++) {
      d.update(FRAME, 0);
      peak = Math.max(peak, d.value);
      if (d.value > 0.05) closedFor += FRAME;
      if (peak > 0.9 && d.value === 0) break;
    }
    expect(peak).toBeGreaterThan(0.9);
    expect(closedFor).toBeLessThan(0.22);
    expect(d.value).toBe(0);
  });

  it("is suppressed when an emotion already closes the eyes", () => {
    const d = new BlinkDriver(3);
    let peak = 0;
    for (let t = 0; t < 20; t += FRAME) { d.update(FRAME, 0.8); peak = Math.max(peak, d.value); }
    expect(peak).toBeLessThanOrEqual(0.2 + 1e-9);
  });

  it("is reproducible from its seed", () => {
    const a = new BlinkDriver(9);
    const b = new BlinkDriver(9);
    for (let i = 0; i < 2000; i++) { a.update(FRAME, 0); b.update(FRAME, 0); expect(a.value).toBe(b.value); }
  });
});
